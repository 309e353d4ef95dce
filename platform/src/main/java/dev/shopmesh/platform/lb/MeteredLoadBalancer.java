package dev.shopmesh.platform.lb;

import io.vertx.core.net.endpoint.InteractionMetrics;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.core.net.endpoint.ServerEndpoint;
import io.vertx.core.net.endpoint.ServerSelector;

import java.util.List;
import java.util.Locale;

/**
 * One of Vert.x's strategies, unchanged in how it picks, with every server's interaction metrics
 * feeding {@link ClientStats} and {@link Outliers}.
 */
public final class MeteredLoadBalancer implements LoadBalancer {

  private final LoadBalancer strategy;
  private final ClientStats stats;
  private final Outliers outliers;

  public MeteredLoadBalancer(LoadBalancer strategy, ClientStats stats, Outliers outliers) {
    this.strategy = strategy;
    this.stats = stats;
    this.outliers = outliers;
  }

  /** {@code round-robin}, {@code least-requests}, {@code random} or {@code power-of-two}. */
  public static LoadBalancer strategy(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "round-robin" -> LoadBalancer.ROUND_ROBIN;
      case "least-requests" -> LoadBalancer.LEAST_REQUESTS;
      case "random" -> LoadBalancer.RANDOM;
      case "power-of-two" -> LoadBalancer.POWER_OF_TWO_CHOICES;
      default -> throw new IllegalArgumentException(
        "SHOPMESH_LOAD_BALANCER must be round-robin, least-requests, random or power-of-two, got '" + name + "'");
    };
  }

  @Override
  public InteractionMetrics<?> newMetrics() {
    return new ReplicaMetrics(stats, outliers);
  }

  @Override
  public ServerSelector selector(List<? extends ServerEndpoint> servers) {
    servers.forEach(server -> ((ReplicaMetrics) server.metrics()).bind(server.address()));
    return strategy.selector(servers);
  }
}
