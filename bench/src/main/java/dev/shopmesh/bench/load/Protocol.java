package dev.shopmesh.bench.load;

/** How a call travels: what h2load is told and which port of the server it goes to. */
public enum Protocol {
  /** HTTP/2 without TLS (prior knowledge), POST of one length-prefixed message, answer in frames and trailers. */
  GRPC,
  /** HTTP/1.1 keep-alive GET, as a browser or curl calls the gateway's JSON API. */
  REST,
  /** The same GET over HTTP/2 without TLS (prior knowledge), many calls in flight per connection as gRPC has. */
  REST_H2C
}
