package dev.shopmesh.platform.discovery;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.servicediscovery.Record;

/**
 * One registered replica of a service; {@code clients} is what its own clients saw of the replicas
 * they called (see {@code lb.ClientStats}); {@code lastSeen}, when its heartbeat last renewed its lease.
 */
public record Replica(String id, String service, String host, int port, JsonObject clients, long lastSeen) {

  static Replica of(Record record) {
    return new Replica(
      record.getRegistration(),
      record.getName(),
      record.getLocation().getString("host"),
      record.getLocation().getInteger("port"),
      record.getMetadata().getJsonObject("clients", new JsonObject()),
      record.getMetadata().getLong("lastSeen", 0L));
  }

  public SocketAddress address() {
    return SocketAddress.inetSocketAddress(port, host);
  }

  public String hostPort() {
    return host + ":" + port;
  }
}
