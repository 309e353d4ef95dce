package dev.shopmesh.platform.log;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets itself from a shutdown hook of its own, which races with ours and
 * swallows the lines that say how a service stopped (withdrawn, drained, closed). This one ignores
 * that reset; the handlers flush every line anyway.
 */
public final class ShutdownSafeLogManager extends LogManager {

  private volatile boolean initialized;

  @Override
  public void reset() {
    if (!initialized || !shuttingDown()) {
      super.reset();
    }
  }

  void initialized() {
    initialized = true;
  }

  private static boolean shuttingDown() {
    try {
      Thread probe = new Thread(() -> { });
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
