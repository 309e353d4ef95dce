package dev.shopmesh.gateway;

import dev.shopmesh.platform.boot.Launcher;

/** Runs the gateway on its own: {@code java -jar gateway.jar [--grpc-port=50051] [--http-port=8080]}. */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    Launcher.main(args, GatewayVerticle::new);
  }
}
