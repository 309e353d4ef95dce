package dev.shopmesh.order;

import dev.shopmesh.platform.boot.Launcher;

/** Runs order-service on its own: {@code java -jar order-service.jar [--grpc-port=N]}. */
public final class OrderMain {

  private OrderMain() {
  }

  public static void main(String[] args) {
    Launcher.main(args, OrderVerticle::new);
  }
}
