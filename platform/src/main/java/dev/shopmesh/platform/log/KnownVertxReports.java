package dev.shopmesh.platform.log;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Lets through only the first report of each of three known Vert.x 5.0.7 reports of work whose
 * reader had already gone; the first of each is kept, as evidence. Two are logged as errors with
 * their stacks, and a relay whose callers cancel in bulk logged hundreds a minute, burying the
 * errors that matter.
 * <ul>
 *   <li>When an HTTP/2 stream closes with its response's trailers still queued (its caller reset it
 *   or dropped the connection while the answer waited on flow control), Vert.x cancels the queued
 *   write with a null promise, and the {@code NullPointerException} in
 *   {@code VertxHttp2Stream$3.cancel} is logged. The trailers are the last write queued, so
 *   nothing is left unreleased.</li>
 *   <li>An answer written to a stream its caller has reset, or whose deadline has passed, throws
 *   {@code IllegalStateException: The stream is failed: …} from Vert.x's own write, logged as an
 *   unhandled exception: Vert.x's health handler answering a check just after its caller gave up,
 *   a unary answer that came as its caller cancelled. The caller has its outcome already (its own
 *   cancel, or DEADLINE_EXCEEDED), and the answer has nowhere to go.</li>
 *   <li>A WARNING "Discarding message since the consumer is not registered" for a change of an
 *   order published as a follower of it stopped (a replayed order, a stream that ended): the
 *   follower is done with it. A replica killed under load made dozens.</li>
 * </ul>
 */
final class KnownVertxReports implements Filter {

  private final AtomicBoolean nullPromiseSeen = new AtomicBoolean();
  private final AtomicBoolean lateAnswerSeen = new AtomicBoolean();
  private final AtomicBoolean discardSeen = new AtomicBoolean();

  @Override
  public boolean isLoggable(LogRecord record) {
    Throwable thrown = record.getThrown();
    if (isNullPromiseOnCancel(thrown)) {
      return nullPromiseSeen.compareAndSet(false, true);
    }
    if (isAnswerAfterTheCallerLeft(thrown)) {
      return lateAnswerSeen.compareAndSet(false, true);
    }
    if (isDiscardedForAConsumerGone(record)) {
      return discardSeen.compareAndSet(false, true);
    }
    return true;
  }

  static boolean isDiscardedForAConsumerGone(LogRecord record) {
    return "io.vertx.core.eventbus.impl.MessageConsumerImpl".equals(record.getLoggerName()) && record.getMessage() != null
      && record.getMessage().startsWith("Discarding message since the consumer is not registered");
  }

  static boolean isNullPromiseOnCancel(Throwable thrown) {
    return thrown instanceof NullPointerException && thrownAt(thrown, "io.vertx.core.http.impl.VertxHttp2Stream$", "cancel");
  }

  static boolean isAnswerAfterTheCallerLeft(Throwable thrown) {
    return thrown instanceof IllegalStateException && thrown.getMessage() != null
      && thrown.getMessage().startsWith("The stream is failed: ")
      && thrownAt(thrown, "io.vertx.grpc.common.impl.GrpcWriteStreamBase", "writeMessage");
  }

  private static boolean thrownAt(Throwable thrown, String classPrefix, String method) {
    if (thrown.getStackTrace().length == 0) {
      return false;
    }
    StackTraceElement top = thrown.getStackTrace()[0];
    return top.getClassName().startsWith(classPrefix) && top.getMethodName().equals(method);
  }
}
