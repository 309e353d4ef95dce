package dev.shopmesh.platform.log;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class KnownVertxReportsTest {

  /** A record carrying {@code thrown} as thrown at {@code className.method}. */
  static LogRecord record(RuntimeException thrown, String className, String method) {
    thrown.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, method, "X.java", 1)});
    LogRecord record = new LogRecord(Level.SEVERE, "Caught Throwable from listener onStreamClosed.");
    record.setThrown(thrown);
    return record;
  }

  @Test
  void theKnownVertxNpeIsLoggedOnceAndEveryOtherErrorEveryTime() {
    KnownVertxReports filter = new KnownVertxReports();
    String stream = "io.vertx.core.http.impl.VertxHttp2Stream$3";
    LogRecord first = record(new NullPointerException("promise is null"), stream, "cancel");
    assertThat(filter.isLoggable(first)).isTrue();
    assertThat(first.getLevel()).as("not an error of ours").isEqualTo(Level.INFO);
    assertThat(first.getThrown()).as("no stack").isNull();
    assertThat(first.getMessage()).startsWith("Vert.x 5.0.7 failed to cancel a write").contains("harmless", "promise is null");
    assertThat(filter.isLoggable(record(new NullPointerException("promise is null"), stream, "cancel"))).isFalse();
    assertThat(filter.isLoggable(record(new NullPointerException("other"), "dev.shopmesh.X", "cancel"))).isTrue();
    assertThat(filter.isLoggable(record(new IllegalStateException("other"), stream, "cancel"))).isTrue();
    assertThat(filter.isLoggable(new LogRecord(Level.WARNING, "no exception"))).isTrue();
  }

  @Test
  void anAnswerWrittenAfterItsCallerLeftIsLoggedOnceAndAStreamClosedByUsEveryTime() {
    KnownVertxReports filter = new KnownVertxReports();
    String write = "io.vertx.grpc.common.impl.GrpcWriteStreamBase";
    assertThat(filter.isLoggable(record(new IllegalStateException("The stream is failed: CANCELLED"), write, "writeMessage"))).isTrue();
    assertThat(filter.isLoggable(record(new IllegalStateException("The stream is failed: CANCELLED"), write, "writeMessage"))).isFalse();
    // Written after we ended it ourselves: a bug of ours, reported each time.
    assertThat(filter.isLoggable(record(new IllegalStateException("The stream has been closed"), write, "writeMessage"))).isTrue();
    assertThat(filter.isLoggable(record(new IllegalStateException("The stream has been closed"), write, "writeMessage"))).isTrue();
  }

  static LogRecord discarded() {
    LogRecord discarded = new LogRecord(Level.WARNING,
      "Discarding message since the consumer is not registered. address: shopmesh.order.changed");
    discarded.setLoggerName("io.vertx.core.eventbus.impl.MessageConsumerImpl");
    return discarded;
  }

  @Test
  void aChangeDiscardedForAFollowerGoneIsLoggedOnce() {
    KnownVertxReports filter = new KnownVertxReports();
    assertThat(filter.isLoggable(discarded())).isTrue();
    assertThat(filter.isLoggable(discarded())).isFalse();
    assertThat(filter.isLoggable(new LogRecord(Level.WARNING, "Discarding message since the consumer is not registered")))
      .as("another logger's").isTrue();
  }

  static LogRecord reset(String logger) {
    return reset(logger, "sendAddress(..) failed with error(-104): Connection reset by peer");
  }

  static LogRecord reset(String logger, String message) {
    LogRecord reset = new LogRecord(Level.SEVERE, message);
    reset.setLoggerName(logger);
    reset.setThrown(new java.io.IOException(message));
    return reset;
  }

  /**
   * A client that resets its connection mid-answer (h2load stopping): 272 ERROR lines in one
   * benchmark run; a replica's host cut off and back: an ERROR "Broken pipe" on each of its callers.
   */
  @Test
  void aConnectionResetByItsPeerIsLoggedOnce() {
    KnownVertxReports filter = new KnownVertxReports();
    LogRecord first = reset("io.vertx.core.net.impl.ConnectionBase");
    assertThat(filter.isLoggable(first)).isTrue();
    assertThat(first.getLevel()).isEqualTo(Level.INFO);
    assertThat(first.getMessage()).startsWith("a connection failed under this process: reset").contains("Connection reset by peer");
    assertThat(filter.isLoggable(reset("io.vertx.core.net.impl.ConnectionBase"))).isFalse();
    assertThat(filter.isLoggable(reset("io.vertx.core.net.impl.ConnectionBase", "writevAddresses(..) failed with error(-32): Broken pipe")))
      .as("a broken pipe, the same report").isFalse();
    LogRecord wordless = new LogRecord(Level.SEVERE, "<missing-log-message>");
    wordless.setLoggerName("io.vertx.core.net.impl.ConnectionBase");
    assertThat(filter.isLoggable(wordless)).as("an exception Vert.x logged without its message: a kind of its own").isTrue();
    assertThat(wordless.getLevel()).isEqualTo(Level.INFO);
    LogRecord again = new LogRecord(Level.SEVERE, "<missing-log-message>");
    again.setLoggerName("io.vertx.core.net.impl.ConnectionBase");
    assertThat(filter.isLoggable(again)).as("the second of it").isFalse();
    assertThat(filter.isLoggable(reset("dev.shopmesh.rpc"))).as("another logger's").isTrue();
  }
}
