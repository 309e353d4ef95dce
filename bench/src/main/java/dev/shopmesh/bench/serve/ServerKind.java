package dev.shopmesh.bench.serve;

import java.util.function.Supplier;

/** The servers the harness compares; the name is what the tables and the JSON say. */
public enum ServerKind {
  SHOPMESH("shopmesh", ShopmeshServer::new),
  BARE_VERTX("bare-vertx", BareVertxServer::new),
  GRPC_JAVA("grpc-java", GrpcJavaServer::new);

  private final String label;
  private final Supplier<BenchServer> factory;

  ServerKind(String label, Supplier<BenchServer> factory) {
    this.label = label;
    this.factory = factory;
  }

  public String label() {
    return label;
  }

  public BenchServer newServer() {
    return factory.get();
  }

  public static ServerKind of(String label) {
    for (ServerKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown server '" + label + "'");
  }
}
