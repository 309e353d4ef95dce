package dev.shopmesh.platform.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free port for a child process to listen on. The port the kernel gives a socket bound to port 0
 * comes from its ephemeral range, the range it also takes outgoing connections' local ports from:
 * between the test closing that socket and the child binding the port, any connection made on the
 * machine (the child's own to its registry, say) may take it, and the child fails to start. A port
 * below that range is never given to an outgoing connection, so only a listener can take it.
 */
public final class FreePort {

  /** Where ports are drawn from: above the well-known services, below the ephemeral range. */
  static final int LOWEST = 10_000;

  private FreePort() {
  }

  /** A port below the ephemeral range that nothing listens on now. */
  public static int forAChild() {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      try (ServerSocket probe = new ServerSocket(port)) {
        return probe.getLocalPort();
      } catch (IOException taken) {
        // Another listener has it: draw again.
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + below);
  }

  /** The first port of the kernel's ephemeral range (Linux's default, 32768, where it cannot be read). */
  static int ephemeralRangeStart() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      int start = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      return start > LOWEST ? start : 32_768;
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }
}
