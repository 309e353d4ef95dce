package dev.shopmesh.platform.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Routes java.util.logging (used by Vert.x and Netty when nothing else is there) to JSON lines on stderr. */
public final class Logs {

  static {
    // Must be set before java.util.logging starts, i.e. before the first logger is asked for.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
    }
  }

  private Logs() {
  }

  /** Idempotent; {@code level} is a java.util.logging level name (INFO, WARNING, FINE...). */
  public static synchronized void init(String level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler = new ConsoleHandler();
    handler.setFormatter(new JsonLogFormatter());
    handler.setLevel(Level.ALL);
    handler.setFilter(new KnownVertxReports());
    root.addHandler(handler);
    root.setLevel(Level.parse(level));
    // Netty is chatty at INFO and below (a line for every frame that arrives on a stream just
    // cancelled, which a busy relay does by design); its warnings still come through.
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
    // vertx-service-discovery logs every start and stop of each instance at INFO.
    Logger.getLogger("io.vertx.servicediscovery").setLevel(Level.WARNING);
    if (LogManager.getLogManager() instanceof ShutdownSafeLogManager safe) {
      safe.initialized();
    }
  }

  public static Logger logger(String name) {
    return Logger.getLogger("shopmesh." + name);
  }
}
