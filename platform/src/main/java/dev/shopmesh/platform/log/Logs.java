package dev.shopmesh.platform.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Routes java.util.logging (used by Vert.x and Netty when nothing else is there) to JSON lines on stderr. */
public final class Logs {

  private Logs() {
  }

  /** Idempotent; {@code level} is a java.util.logging level name (INFO, WARNING, FINE...). */
  public static synchronized void init(String level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler = new ConsoleHandler();
    handler.setFormatter(new JsonLogFormatter());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.parse(level));
    // Netty and H2 are chatty at FINE and below; their warnings still come through.
    Logger.getLogger("io.netty").setLevel(Level.INFO);
  }

  public static Logger logger(String name) {
    return Logger.getLogger("shopmesh." + name);
  }
}
