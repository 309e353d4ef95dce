package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * The network transport a service's Vert.x runs on, chosen once per process from
 * {@code SHOPMESH_TRANSPORT}: {@code auto} (the default) takes Netty's native epoll, bundled for
 * Linux x86-64, and Java's NIO where epoll cannot load (another OS or CPU); {@code epoll} or
 * {@code nio} ask for one, and an epoll that cannot load is then a start failure naming why, not a
 * silent fallback. Epoll (Netty's own system calls in place of Java's selector) saved about 5 % of
 * the server's CPU per SayHello in the bench, and more per order, four gRPC hops each. io_uring is
 * not bundled: it measured slower than epoll there.
 */
public final class Transports {

  private static final Logger LOG = Logs.logger("transport");

  private Transports() {
  }

  /**
   * A Vert.x on the configured transport; throws IllegalArgumentException for an unknown or
   * unavailable one. It leaves each thread's context class loader alone: Vert.x would otherwise set
   * it on every event it dispatches (and restore it after), for deployments from class loaders of
   * their own, and a service's jar has one class path. Skipping it gave the gateway 5 % more
   * SayHello calls per second (side by side, pinned, five rounds each).
   */
  public static Vertx vertx(Config config) {
    Transport transport = choose(config.get("TRANSPORT", "auto"));
    LOG.info(() -> "network transport: " + transport.name());
    return Vertx.builder().with(new VertxOptions().setDisableTCCL(true)).withTransport(transport).build();
  }

  /** The transport a setting names: {@code auto}, {@code epoll} or {@code nio}, in any case. */
  public static Transport choose(String setting) {
    switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "auto":
        return Transport.EPOLL != null && Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case "epoll":
        if (Transport.EPOLL == null || !Transport.EPOLL.available()) {
          throw new IllegalArgumentException("SHOPMESH_TRANSPORT=epoll cannot load here: "
            + (Transport.EPOLL == null ? "Netty's epoll library is not on the class path" : Transport.EPOLL.unavailabilityCause()));
        }
        return Transport.EPOLL;
      case "nio":
        return Transport.NIO;
      default:
        throw new IllegalArgumentException("SHOPMESH_TRANSPORT: unknown transport '" + setting + "'; use auto, epoll or nio");
    }
  }
}
