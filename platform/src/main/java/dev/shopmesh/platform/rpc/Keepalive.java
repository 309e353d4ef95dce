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
 * grpc-java's keepAliveTime and keepAliveTimeout, in short; and, when a health check of the replica
 * goes unanswered, a PING at once with a shorter wait ({@link #suspect}).
 */
final class Keepalive {

  private static final Logger LOG = Logs.logger("rpc");
  private static final Buffer PAYLOAD = Buffer.buffer(new byte[8]);

  private final Vertx vertx;
  private final HttpConnection connection;
  private final long timeoutNanos;
  /** When the PING not answered yet was sent (System.nanoTime), or -1 if none is outstanding. */
  private volatile long sentAt = -1;

  private Keepalive(Vertx vertx, HttpConnection connection, long timeoutMillis) {
    this.vertx = vertx;
    this.connection = connection;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /**
   * PINGs {@code connection} every {@code intervalMillis} and closes it when one is unanswered
   * for twice that. The peer answers on its event loop, so a replica that is only stalled (a long
   * GC pause, a blocked handler) answers late: twice the interval should outlast such stalls
   * ({@link LbSettings} sets it to a call's default deadline), though a stall that also leaves a
   * health check unanswered is cut shorter ({@link #suspect}). Called from the connection's
   * connect handler, so that the timer runs on its event loop; {@code closed} runs once it closes.
   */
  static Keepalive watch(Vertx vertx, HttpConnection connection, long intervalMillis, Runnable closed) {
    Keepalive keepalive = new Keepalive(vertx, connection, 2 * intervalMillis);
    long timer = vertx.setPeriodic(intervalMillis, id -> keepalive.tick());
    connection.closeHandler(v -> {
      vertx.cancelTimer(timer);
      closed.run();
    });
    return keepalive;
  }

  private void tick() {
    long now = System.nanoTime();
    if (sentAt < 0) {
      ping(now);
    } else if (now - sentAt > timeoutNanos) {
      close("no answer to a PING within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }
  }

  private void ping(long now) {
    sentAt = now;
    connection.ping(PAYLOAD).onSuccess(pong -> sentAt = -1);
  }

  /**
   * The replica did not answer a health check: PINGed now (unless a PING is out already), the
   * connection is closed if no answer came within {@code waitMillis}. Calls in flight on it then
   * fail as lost and are retried elsewhere within their deadline, where the keepalive alone closed
   * it only as their 5 s deadline ended: every order whose reservation was in flight to a catalog
   * host cut off from the network failed 504 first.
   */
  void suspect(long waitMillis) {
    long pinged = sentAt;
    if (pinged == Long.MAX_VALUE) {
      return;
    }
    if (pinged < 0) {
      // Taken before the PING goes: its answer may come on the connection's thread before this
      // one reads the field again, which would then name no PING at all.
      pinged = System.nanoTime();
      ping(pinged);
    }
    long watched = pinged;
    vertx.setTimer(waitMillis, t -> {
      if (sentAt == watched) {
        close("no answer to a PING within " + waitMillis + " ms after a health check went unanswered");
      }
    });
  }

  private void close(String why) {
    LOG.warning("closing the connection to " + connection.remoteAddress() + ": " + why
      + " (the replica or its host is gone); its calls fail as lost");
    sentAt = Long.MAX_VALUE;
    connection.close();
  }
}
