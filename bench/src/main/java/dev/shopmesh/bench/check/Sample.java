package dev.shopmesh.bench.check;

import java.util.List;

/** The harness's own calls after a run: how many, how many were wrong, and the distinct reasons. */
public record Sample(int calls, int wrong, List<String> problems) {
}
