package dev.shopmesh.platform.log;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Lets through only the first report of each of six known Vert.x 5.0.7 reports of work whose
 * reader had already gone, and that one as a line at INFO saying what it is, with no stack: the
 * first of each is kept, as evidence. Vert.x logs two as errors with their stacks; a relay whose
 * callers cancel in bulk logged hundreds a minute, burying the errors that matter, and the one left
 * read as a fault to whoever read the log after a restart.
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
 *   <li>A write to a connection whose other end reset or closed it ({@code Connection reset by peer},
 *   {@code Broken pipe}), logged by Vert.x as an ERROR per connection, without its address: a
 *   benchmark's client stopping made 272; a replica's host cut off from the network, then back,
 *   one on each of its callers; and Vert.x's "&lt;missing-log-message&gt;", a connection's exception with
 *   no message, which partitions healing left. What it meant for calls is logged where they end.</li>
 *   <li>A WARNING "Discarding message since the consumer is not registered" for a change of an
 *   order published as a follower of it stopped (a replayed order, a stream that ended): the
 *   follower is done with it. A replica killed under load made dozens.</li>
 * </ul>
 */
final class KnownVertxReports implements Filter {

  private final AtomicBoolean nullPromiseSeen = new AtomicBoolean();
  private final AtomicBoolean lateAnswerSeen = new AtomicBoolean();
  private final AtomicBoolean discardSeen = new AtomicBoolean();
  private final AtomicBoolean resetSeen = new AtomicBoolean();
  private final AtomicBoolean wordlessSeen = new AtomicBoolean();

  @Override
  public boolean isLoggable(LogRecord record) {
    Throwable thrown = record.getThrown();
    if (isNullPromiseOnCancel(thrown)) {
      return firstOnly(nullPromiseSeen, record, "Vert.x 5.0.7 failed to cancel a write queued on an HTTP/2 stream"
        + " its caller had already closed; harmless: the stream is gone");
    }
    if (isAnswerAfterTheCallerLeft(thrown)) {
      return firstOnly(lateAnswerSeen, record, "an answer came after its caller had left (reset, or its deadline"
        + " passed), and Vert.x 5.0.7 refused to write it; harmless: the caller has its outcome");
    }
    if (isWordless(record)) {
      return firstOnly(wordlessSeen, record, "a connection failed under this process with an exception Vert.x"
        + " reports without words (seen as partitions heal); its calls end, and are retried if they may be");
    }
    if (isResetByItsPeer(record)) {
      return firstOnly(resetSeen, record, "a connection failed under this process: reset or closed by its other end"
        + " (a client gone, a replica or host that went away, or back from a partition); its calls end, and are"
        + " retried if they may be");
    }
    if (isDiscardedForAConsumerGone(record)) {
      return firstOnly(discardSeen, record, "a change of an order was published as its follower stopped;"
        + " harmless: the follower is done with it");
    }
    return true;
  }

  /** Whether {@code record} is the first of its kind, which then says {@code what} it is, at INFO and without its stack. */
  private static boolean firstOnly(AtomicBoolean seen, LogRecord record, String what) {
    if (!seen.compareAndSet(false, true)) {
      return false;
    }
    String report = record.getThrown() != null ? String.valueOf(record.getThrown()) : record.getMessage();
    record.setLevel(Level.INFO);
    record.setMessage(what + " (known report, logged once): " + report);
    record.setParameters(null);
    record.setThrown(null);
    return true;
  }

  /**
   * What Vert.x's logging makes of a connection's exception that has no message, which it logs
   * without the exception: partitions healing left such ERROR lines, no cause given.
   */
  static final String NO_WORDS = "<missing-log-message>";

  static boolean isResetByItsPeer(LogRecord record) {
    String message = record.getThrown() != null ? record.getThrown().getMessage() : record.getMessage();
    return "io.vertx.core.net.impl.ConnectionBase".equals(record.getLoggerName()) && message != null
      && (message.endsWith("Connection reset by peer") || message.endsWith("Broken pipe"));
  }

  /** Once, not with the resets: its own kind, whatever failed, so the first of it is always seen. */
  static boolean isWordless(LogRecord record) {
    String message = record.getThrown() != null ? record.getThrown().getMessage() : record.getMessage();
    return "io.vertx.core.net.impl.ConnectionBase".equals(record.getLoggerName()) && (message == null || message.equals(NO_WORDS));
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
