package dev.shopmesh.bench.serve;

import dev.shopmesh.gateway.grpc.GreetingGrpc;
import greeting.GreetingServiceGrpcService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;

import java.util.concurrent.TimeUnit;

/**
 * Vert.x's gRPC server with its defaults, serving the gateway's own {@link GreetingGrpc}: what the
 * gateway would cost without the platform around it (health, reflection, deadlines, discovery,
 * the HTTP API on the same event loop). Like the gateway, one server instance, so one event loop.
 */
final class BareVertxServer implements BenchServer {

  private Vertx vertx;

  @Override
  public Ports start() throws Exception {
    vertx = Vertx.vertx();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(GreetingServiceGrpcService.of(new GreetingGrpc()));
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(grpc)
      .listen()
      .await(30, TimeUnit.SECONDS);
    return new Ports(http.actualPort(), 0);
  }

  @Override
  public void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
