package dev.shopmesh.platform.testing;

import dev.shopmesh.platform.log.JsonLogFormatter;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one logger publishes while open, down to {@code level} (tests log at WARNING, so an
 * INFO line is captured only once asked for). Open it after the services started: their logging
 * set-up drops every handler.
 */
public final class LogCapture implements AutoCloseable {

  private static final JsonLogFormatter FORMAT = new JsonLogFormatter();

  private final Logger logger;
  private final Level before;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
      // Now, on the thread that logged, as the service's own handler formats it.
      lines.add(FORMAT.format(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  public LogCapture(String loggerName, Level level) {
    logger = Logger.getLogger(loggerName);
    before = logger.getLevel();
    logger.setLevel(level);
    logger.addHandler(handler);
  }

  /** Every record so far, in order. */
  public List<LogRecord> records() {
    return records;
  }

  /** The lines logged so far that contain {@code text}, as the services write them (JSON). */
  public List<String> linesContaining(String text) {
    return lines.stream().filter(line -> line.contains(text)).toList();
  }

  /** The messages logged so far that contain {@code text}. */
  public List<String> messagesContaining(String text) {
    return records.stream().map(LogRecord::getMessage).filter(m -> m.contains(text)).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(before);
  }
}
