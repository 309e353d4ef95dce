package dev.shopmesh.gateway;

import dev.shopmesh.gateway.catalog.ProductPageCache;
import dev.shopmesh.gateway.grpc.CatalogProxy;
import dev.shopmesh.gateway.grpc.GreetingGrpc;
import dev.shopmesh.gateway.grpc.OrderProxy;
import dev.shopmesh.gateway.http.HttpApi;
import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.rpc.EventLoopServers;
import dev.shopmesh.platform.rpc.ServerTls;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcService;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcService;
import greeting.GreetingServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.Service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The front door. gRPC (default port 50051): {@code greeting.GreetingService}, the order API
 * proxied to order-service and the catalog's read calls proxied to catalog-service. HTTP/JSON
 * (default port 8080): the same flows under {@code /api}, {@code /health}, and the shop's page.
 */
public final class GatewayVerticle extends MeshVerticle {

  public static final String NAME = ServiceNames.GATEWAY;

  private EventLoopServers http;

  public GatewayVerticle(Config config) {
    super(NAME, config);
  }

  @Override
  protected int defaultGrpcPort() {
    return 50051;
  }

  @Override
  protected boolean reachedFromOutside() {
    return true;
  }

  /**
   * SHOPMESH_EVENT_LOOPS, by default a core each: the gateway's handlers only relay (their shared
   * state, the mesh client and the page cache, is thread-safe), and as the front door it is the one
   * service every call crosses.
   */
  @Override
  protected int eventLoops() {
    return config.getInt("EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1);
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    ProductPageCache pages = ProductPageCache.of(context.client(), Duration.ofMillis(config.getLong("CATALOG_PAGE_CACHE_MS", 1_000)));
    CatalogProxy catalog = new CatalogProxy(vertx, context.client(), pages, log);
    OrderProxy orders = new OrderProxy(vertx, context.client(), log);
    // The mesh page from the jar, off the event loop, once; a gateway without it does not start.
    return vertx.fileSystem().readFile("webroot/mesh.html").compose(meshPage -> listen(
      new HttpApi(vertx, context.client(), pages, context.replicas(), meshPage.toString(StandardCharsets.UTF_8),
        context.answered(), this::isThisReplica, log), context.tls()))
      .map(server -> List.of(
        GreetingServiceGrpcService.of(new GreetingGrpc()),
        OrderProxy.service(orders),
        CatalogProxy.service(catalog)));
  }

  /** The HTTP API on every event loop, with the TLS of the gRPC port. */
  private Future<EventLoopServers> listen(HttpApi api, ServerTls tls) {
    HttpServerOptions options = tls.applyTo(new HttpServerOptions())
      .setHost(config.get("HTTP_HOST", config.get("HOST", "127.0.0.1")))
      .setPort(config.getPort("HTTP_PORT", 8080))
      // A connection that sends nothing (a client gone quiet, half a request never finished) is
      // closed after this long, not held open for good; Vert.x's default is never.
      .setIdleTimeout(config.getInt("HTTP_IDLE_TIMEOUT_MS", 60_000, 1))
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    return EventLoopServers.listen(vertx, options, api.router(), api::invalidRequest, eventLoops(), shutdownGraceMillis())
      .onSuccess(servers -> {
        http = servers;
        log.info("gateway serving " + (tls.enabled() ? "HTTPS" : "HTTP") + " on " + options.getHost() + ":" + servers.port() + " with " + eventLoops() + " event loops");
      });
  }

  /** The order API and the catalog reads are as healthy as the services they relay to. */
  @Override
  protected Map<ServiceName, String> relayedTo() {
    return Map.of(OrderServiceGrpcService.SERVICE_NAME, OrderProxy.ORDERS, CatalogServiceGrpcService.SERVICE_NAME, CatalogProxy.CATALOG);
  }

  /** The HTTP port, once started. */
  public int httpPort() {
    return http.port();
  }

  @Override
  protected Future<Void> drain(long graceMillis) {
    return http == null ? Future.succeededFuture() : http.shutdown(graceMillis);
  }
}
