package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.http.HttpConnection;

import java.io.IOException;
import java.util.logging.Logger;

/**
 * What every server of the mesh does with a connection it accepts: flushes once per event-loop turn
 * ({@link BatchedFlushes}), and reports the connection's own errors by what they mean. Vert.x logs
 * an error of a connection as a whole at ERROR, one line each, when nothing handles it. On an
 * accepted connection an I/O error is the caller gone mid-answer (broken pipe, reset by peer):
 * routine for a server, and the calls it had open end as cancelled. With flushes batched, the
 * writes of a turn fail together, so h2load ending a run with 512 streams open made 80 such lines
 * at once. Those are logged at FINE; anything else at WARNING, with the caller's address.
 */
final class AcceptedConnections {

  private static final Logger LOG = Logs.logger("rpc");

  private AcceptedConnections() {
  }

  /** For a server's connection handler. */
  static void setUp(HttpConnection connection) {
    BatchedFlushes.install(connection);
    connection.exceptionHandler(error -> report(connection, error));
  }

  static void report(HttpConnection connection, Throwable error) {
    if (error instanceof IOException) {
      LOG.fine(() -> "connection from " + connection.remoteAddress() + " lost: " + error);
    } else {
      LOG.warning("connection from " + connection.remoteAddress() + " failed: " + error);
    }
  }
}
