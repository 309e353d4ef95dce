package dev.shopmesh.bench.serve;

/** One of the servers under test, started inside the current process. */
public interface BenchServer {

  /** Starts serving and answers once every port answers calls. */
  Ports start() throws Exception;

  /** Stops serving and releases what {@link #start()} made; bounded. */
  void stop() throws Exception;
}
