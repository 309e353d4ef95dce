package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;

import java.util.List;

/**
 * Registration and lookup of gRPC replicas by service name, on top of vertx-service-discovery.
 * The backend is its default one: a map shared by everything in the same Vert.x instance, which is
 * all the one-JVM local run needs. Multi-process backends plug in here through configuration.
 */
public final class Discovery {

  /** Record type for our replicas. */
  public static final String TYPE = "grpc";

  private final ServiceDiscovery discovery;
  private final String announceAddress;

  public Discovery(Vertx vertx, Config config) {
    ServiceDiscoveryOptions options = new ServiceDiscoveryOptions();
    this.announceAddress = options.getAnnounceAddress();
    this.discovery = ServiceDiscovery.create(vertx, options);
  }

  /** Publishes a replica once it listens; completes with the registration id to withdraw later. */
  public Future<String> register(String service, String host, int port) {
    Record record = new Record()
      .setName(service)
      .setType(TYPE)
      .setLocation(new JsonObject().put("host", host).put("port", port))
      .setMetadata(new JsonObject().put("protocol", "grpc"));
    return discovery.publish(record).map(Record::getRegistration);
  }

  public Future<Void> withdraw(String registration) {
    return discovery.unpublish(registration);
  }

  /** Every replica currently registered, of every service. */
  public Future<List<Replica>> replicas() {
    return discovery.getRecords(r -> TYPE.equals(r.getType()))
      .map(records -> records.stream().map(Replica::of).toList());
  }

  /** The event-bus address on which a (un)registration is announced. */
  public String announceAddress() {
    return announceAddress;
  }

  public void close() {
    discovery.close();
  }
}
