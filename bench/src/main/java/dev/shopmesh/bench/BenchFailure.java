package dev.shopmesh.bench;

/** The benchmark cannot go on: a server is wrong or unreachable before any figure is taken. */
final class BenchFailure extends Exception {

  BenchFailure(String message) {
    super(message);
  }
}
