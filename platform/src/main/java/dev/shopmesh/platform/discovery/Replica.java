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
    return SocketAddress.inetSocketAddress(port, uriHost(host));
  }

  public String hostPort() {
    return uriHost(host) + ":" + port;
  }

  /**
   * {@code host}, an IPv6 literal in brackets ({@code [::1]}): Vert.x names the server of each
   * request by host and port in its {@code :authority}, and a server refuses {@code ::1:50051} as
   * malformed, resetting the stream. Every health check of a replica on IPv6 failed so.
   */
  public static String uriHost(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
