package dev.shopmesh.platform.log;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Lets through only the first report of a known Vert.x 5.0.7 bug: when an HTTP/2 stream closes with
 * its response's trailers still queued (its caller reset it or dropped the connection while the
 * answer waited on flow control), Vert.x cancels the queued write with a null promise and Netty or
 * Vert.x logs the resulting {@code NullPointerException} in {@code VertxHttp2Stream$3.cancel} as an
 * error. The trailers are the last write queued, so nothing is left unreleased, and the call was
 * over for its caller anyway; but a relay whose callers cancel in bulk logged hundreds of these
 * stacks a minute, burying the errors that matter. The first one is kept, as evidence.
 */
final class RepeatedVertxNpe implements Filter {

  private final AtomicBoolean seen = new AtomicBoolean();

  @Override
  public boolean isLoggable(LogRecord record) {
    return !isTheKnownBug(record.getThrown()) || seen.compareAndSet(false, true);
  }

  static boolean isTheKnownBug(Throwable thrown) {
    if (!(thrown instanceof NullPointerException) || thrown.getStackTrace().length == 0) {
      return false;
    }
    StackTraceElement top = thrown.getStackTrace()[0];
    return top.getClassName().startsWith("io.vertx.core.http.impl.VertxHttp2Stream$") && top.getMethodName().equals("cancel");
  }
}
