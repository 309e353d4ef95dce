package dev.shopmesh.cli;

import dev.shopmesh.catalog.CatalogVerticle;
import dev.shopmesh.gateway.GatewayVerticle;
import dev.shopmesh.order.OrderVerticle;
import dev.shopmesh.payment.PaymentVerticle;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The services the CLI can run, by the name discovery knows them by, callees before callers. */
final class Services {

  /** A service and how to make one replica of it from its configuration. */
  record Service(String name, Function<Config, MeshVerticle> factory) {
  }

  /** The services behind the gateway, in deployment order: each only calls services listed before it. */
  static final List<Service> BACKENDS = List.of(
    new Service(CatalogVerticle.NAME, CatalogVerticle::new),
    new Service(PaymentVerticle.NAME, PaymentVerticle::new),
    new Service(OrderVerticle.NAME, OrderVerticle::new));

  static final Service GATEWAY = new Service(GatewayVerticle.NAME, GatewayVerticle::new);

  /** Every service, callees before callers. */
  static final List<Service> ALL = Stream.concat(BACKENDS.stream(), Stream.of(GATEWAY)).toList();

  private Services() {
  }

  static Optional<Service> named(String name, List<Service> among) {
    return among.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The backends' names, for picocli's {@code ${COMPLETION-CANDIDATES}} in help: the help follows {@link #BACKENDS}. */
  static final class BackendNames extends ArrayList<String> {
    BackendNames() {
      BACKENDS.forEach(s -> add(s.name()));
    }
  }

  /** Every service's name, for picocli's {@code ${COMPLETION-CANDIDATES}}. */
  static final class AllNames extends ArrayList<String> {
    AllNames() {
      ALL.forEach(s -> add(s.name()));
    }
  }

  /** {@code catalog-service, payment-service, …}, for error messages and help. */
  static String names(List<Service> services) {
    return services.stream().map(Service::name).collect(Collectors.joining(", "));
  }
}
