package dev.shopmesh.platform.discovery;

import io.vertx.core.net.SocketAddress;
import io.vertx.servicediscovery.Record;

/** One registered replica of a service. */
public record Replica(String id, String service, String host, int port) {

  static Replica of(Record record) {
    return new Replica(
      record.getRegistration(),
      record.getName(),
      record.getLocation().getString("host"),
      record.getLocation().getInteger("port"));
  }

  public SocketAddress address() {
    return SocketAddress.inetSocketAddress(port, host);
  }

  public String hostPort() {
    return host + ":" + port;
  }
}
