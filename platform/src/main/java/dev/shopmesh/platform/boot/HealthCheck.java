package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Replica;
import dev.shopmesh.platform.lb.HealthProbe;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.util.concurrent.TimeUnit;

/**
 * A container health check that asks the service's own {@code grpc.health.v1.Health} endpoint:
 * {@code java -cp app.jar dev.shopmesh.platform.boot.HealthCheck [host:port]} exits 0 when it
 * answers SERVING within 3 s. Without an argument it checks 127.0.0.1 on {@code SHOPMESH_GRPC_PORT}.
 */
public final class HealthCheck {

  private HealthCheck() {
  }

  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : "127.0.0.1:" + Config.load(new String[0]).getPort("GRPC_PORT", 50051);
    int colon = target.lastIndexOf(':');
    SocketAddress address = SocketAddress.inetSocketAddress(Integer.parseInt(target.substring(colon + 1)),
      Replica.uriHost(target.substring(0, colon)));
    Vertx vertx = Vertx.vertx();
    boolean serving;
    try {
      serving = HealthProbe.check(vertx, address, 3_000).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } finally {
      vertx.close();
    }
    System.out.println(target + (serving ? " SERVING" : " NOT SERVING"));
    System.exit(serving ? 0 : 1);
  }
}
