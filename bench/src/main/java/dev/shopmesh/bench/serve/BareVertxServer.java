package dev.shopmesh.bench.serve;

import dev.shopmesh.gateway.grpc.GreetingGrpc;
import dev.shopmesh.platform.boot.Transports;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.rpc.EventLoopServers;
import greeting.GreetingServiceGrpcService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's gRPC server with its defaults, serving the gateway's own {@link GreetingGrpc}: what the
 * gateway would cost without the platform around it (health, reflection, deadlines, discovery,
 * the HTTP API). On as many event loops as the gateway (one per core) and the same network
 * transport ({@link Transports}), so the two differ only in what the platform adds.
 */
final class BareVertxServer implements BenchServer {

  private Vertx vertx;

  @Override
  public Ports start() throws Exception {
    vertx = Transports.vertx(Config.of(Map.of("SHOPMESH_TRANSPORT", ServeMain.transport())));
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(GreetingServiceGrpcService.of(new GreetingGrpc()));
    EventLoopServers servers = EventLoopServers.listen(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0),
        grpc, Runtime.getRuntime().availableProcessors(), 0)
      .await(30, TimeUnit.SECONDS);
    return new Ports(servers.port(), 0);
  }

  @Override
  public void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
