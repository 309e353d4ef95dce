package dev.shopmesh.bench.serve;

/**
 * The main of a server process: {@code ServeMain <shopmesh|bare-vertx|grpc-java>}. Prints the
 * {@link Ports#readyLine()} once it answers calls, then serves until its standard input closes, so
 * a server never outlives the harness that started it, however the harness ends.
 */
public final class ServeMain {

  /** The mesh's own configuration key for its database, read from this process's environment. */
  static final String DB_URL = "SHOPMESH_DB_URL";

  private ServeMain() {
  }

  /** The Vert.x servers' transport: {@code SHOPMESH_TRANSPORT} from this process's environment, or auto. */
  static String transport() {
    String transport = System.getenv("SHOPMESH_TRANSPORT");
    return transport == null || transport.isBlank() ? "auto" : transport;
  }

  public static void main(String[] args) throws Exception {
    if (!(args.length == 1 || args.length == 3 && args[1].equals("--stock"))) {
      System.err.println("usage: ServeMain <shopmesh|bare-vertx|grpc-java> [--stock N]");
      System.exit(2);
    }
    ServerKind kind = ServerKind.of(args[0]);
    String dbUrl = System.getenv(DB_URL);
    BenchServer server = kind == ServerKind.SHOPMESH
      ? new ShopmeshServer(args.length == 3 ? Integer.parseInt(args[2]) : CatalogFill.DEFAULT_STOCK,
        dbUrl == null || dbUrl.isBlank() ? null : dbUrl)
      : kind.newServer();
    Ports ports;
    try {
      ports = server.start();
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.out.println(ports.readyLine());
    System.out.flush();
    try {
      while (System.in.read() != -1) {
        // Nothing is sent on stdin: end of input is the signal to stop.
      }
      server.stop();
    } finally {
      // Whatever stop did, the process ends: Vert.x's and Netty's threads would keep it alive.
      System.exit(0);
    }
  }
}
