package dev.shopmesh.bench;

/** The benchmark cannot go on: a server is wrong or unreachable before any figure is taken. */
public final class BenchFailure extends Exception {

  public BenchFailure(String message) {
    super(message);
  }
}
