package dev.shopmesh.platform.discovery;

import io.netty.util.NetUtil;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.servicediscovery.Record;

import java.net.Inet6Address;

/**
 * One registered replica of a service; {@code clients} is what its own clients saw of the replicas
 * they called (see {@code lb.ClientStats}); {@code served}, the gRPC calls its server answered, by
 * method and status, and their latency ({@code metrics.ServedCalls#toJson}); {@code lastSeen}, when
 * its heartbeat last renewed its lease; {@code store}, where it keeps its data
 * ({@code db.Database#kindOf}), null for a replica that keeps none; {@code tls}, whether its port
 * serves TLS only (a gateway given a certificate).
 */
public record Replica(String id, String service, String host, int port, JsonObject clients, JsonObject served, long lastSeen,
                      String store, boolean tls) {

  static Replica of(Record record) {
    return new Replica(
      record.getRegistration(),
      record.getName(),
      record.getLocation().getString("host"),
      record.getLocation().getInteger("port"),
      record.getMetadata().getJsonObject("clients", new JsonObject()),
      record.getMetadata().getJsonObject("served", new JsonObject()),
      record.getMetadata().getLong(Discovery.LAST_SEEN, 0L),
      record.getMetadata().getString(Discovery.STORE),
      record.getMetadata().getBoolean(Discovery.TLS, false));
  }

  public SocketAddress address() {
    return SocketAddress.inetSocketAddress(port, uriHost(host));
  }

  public String hostPort() {
    return hostPort(host, port);
  }

  /**
   * How the mesh keys the replica at {@code host} and {@code port}, whoever names it: registered as
   * {@code ::1}, it is {@code 0:0:0:0:0:0:0:1} as a connection's peer.
   */
  public static String hostPort(String host, int port) {
    return uriHost(host) + ":" + port;
  }

  /**
   * {@code host}, an IPv6 literal in brackets and in its short form ({@code [::1]}): Vert.x names the
   * server of each request by host and port in its {@code :authority}, and a server refuses
   * {@code ::1:50051} as malformed, resetting the stream. Every health check of a replica on IPv6
   * failed so.
   */
  public static String uriHost(String host) {
    if (host.indexOf(':') < 0) {
      return host;
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    Inet6Address address = NetUtil.getByName(literal);
    return "[" + (address == null ? literal : NetUtil.toAddressString(address)) + "]";
  }
}
