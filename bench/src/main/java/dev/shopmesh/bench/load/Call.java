package dev.shopmesh.bench.load;

import dev.shopmesh.bench.check.Expectation;

/**
 * One call the benchmark repeats: what h2load sends (the same bytes every time) and what a correct
 * answer looks like, for the harness's own sample calls.
 *
 * @param body the request body (a gRPC call's framed message), or null for a GET
 */
public record Call(String name, Protocol protocol, String path, byte[] body, Expectation expectation) {

  /** A gRPC call: POSTed over HTTP/2 with gRPC's headers; otherwise a REST GET. */
  public boolean grpc() {
    return protocol == Protocol.GRPC;
  }

  /** Over HTTP/2 (gRPC, or REST over h2c); otherwise HTTP/1.1. */
  public boolean http2() {
    return protocol != Protocol.REST;
  }

  /** The same call over another protocol, e.g. a REST call over h2c. */
  public Call over(Protocol other) {
    return new Call(name, other, path, body, expectation);
  }
}
