package dev.shopmesh.bench.load;

/**
 * How hard h2load pushes. Throughput: enough calls in flight to keep the server busy (what each
 * protocol's clients do: many streams on a few HTTP/2 connections, many HTTP/1.1 keep-alive
 * connections without pipelining). Latency: one call at a time on one connection.
 */
public enum Scenario {
  THROUGHPUT("throughput"),
  LATENCY("latency");

  private final String label;

  Scenario(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** h2load's connections ({@code -c}) and calls in flight per connection ({@code -m}). */
  public Shape shape(Protocol protocol) {
    if (this == LATENCY) {
      return new Shape(1, 1);
    }
    return protocol == Protocol.REST ? new Shape(64, 1) : new Shape(16, 32);
  }

  /** {@code clients} connections, each with up to {@code streams} calls in flight. */
  public record Shape(int clients, int streams) {

    public int inFlight() {
      return clients * streams;
    }

    @Override
    public String toString() {
      return clients + " conn × " + streams;
    }
  }
}
