package dev.shopmesh.platform.log;

import dev.shopmesh.platform.config.Config;

import java.util.Locale;
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

  /**
   * The loggers given a level of their own, held here: java.util.logging holds loggers weakly, and a
   * logger collected forgets its level (Netty's per-frame INFO lines came back).
   */
  private static final Logger NETTY = Logger.getLogger("io.netty");
  private static final Logger SERVICE_DISCOVERY = Logger.getLogger("io.vertx.servicediscovery");

  /** Idempotent; the level is SHOPMESH_LOG_LEVEL's, a java.util.logging level name in any case (info, WARNING...). */
  public static synchronized void init(Config config) {
    Level level = level(config.get("LOG_LEVEL", "INFO"));
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler = new ConsoleHandler();
    handler.setFormatter(new JsonLogFormatter());
    handler.setLevel(Level.ALL);
    handler.setFilter(new KnownVertxReports());
    root.addHandler(handler);
    root.setLevel(level);
    // Netty is chatty at INFO and below (a line for every frame that arrives on a stream just
    // cancelled, which a busy relay does by design); its warnings still come through.
    NETTY.setLevel(Level.WARNING);
    // vertx-service-discovery logs every start and stop of each instance at INFO.
    SERVICE_DISCOVERY.setLevel(Level.WARNING);
    if (LogManager.getLogManager() instanceof ShutdownSafeLogManager safe) {
      safe.initialized();
    }
  }

  /** "info" as INFO: Level.parse knows upper case only, and failed with a bare 'Bad level "info"'. */
  static Level level(String name) {
    try {
      return Level.parse(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Config.invalid("LOG_LEVEL", "must be a java.util.logging level: SEVERE, WARNING, INFO, CONFIG, FINE, FINER,"
        + " FINEST, ALL or OFF, got '" + name + "'");
    }
  }

  public static Logger logger(String name) {
    return Logger.getLogger("shopmesh." + name);
  }
}
