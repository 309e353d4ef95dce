package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * HTTP/2 PINGs on a connection to a replica, and the connection closed when they go unanswered.
 * A replica that stops answering without closing its connections (a paused or frozen container,
 * a host or a network gone) neither answers nor resets: the calls already sent on its connection
 * waited out their whole deadline (5 s), and nothing but new calls' health checks noticed. Closed,
 * the connection fails those calls as lost, and the ones that may be retried go to another replica.
 * grpc-java's keepAliveTime and keepAliveTimeout, in short.
 */
final class Keepalive {

  private static final Logger LOG = Logs.logger("rpc");
  private static final Buffer PAYLOAD = Buffer.buffer(new byte[8]);

  private final HttpConnection connection;
  private final long timeoutNanos;
  /** When the PING not answered yet was sent (System.nanoTime), or -1 if none is outstanding. */
  private volatile long sentAt = -1;

  private Keepalive(HttpConnection connection, long timeoutMillis) {
    this.connection = connection;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /**
   * PINGs {@code connection} every {@code intervalMillis} and closes it when one is unanswered
   * for twice that. The peer answers on its event loop, so a replica that is only stalled (a long
   * GC pause, a blocked handler) answers late: twice the interval must outlast such stalls
   * ({@link LbSettings} sets it to a call's default deadline). Called from the connection's
   * connect handler, so that the timer runs on its event loop.
   */
  static void watch(Vertx vertx, HttpConnection connection, long intervalMillis) {
    Keepalive keepalive = new Keepalive(connection, 2 * intervalMillis);
    long timer = vertx.setPeriodic(intervalMillis, id -> keepalive.tick());
    connection.closeHandler(closed -> vertx.cancelTimer(timer));
  }

  private void tick() {
    long now = System.nanoTime();
    if (sentAt < 0) {
      sentAt = now;
      connection.ping(PAYLOAD).onSuccess(pong -> sentAt = -1);
    } else if (now - sentAt > timeoutNanos) {
      LOG.warning("closing the connection to " + connection.remoteAddress() + ": no answer to a PING within "
        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the replica or its host is gone); its calls fail as lost");
      sentAt = Long.MAX_VALUE;
      connection.close();
    }
  }
}
