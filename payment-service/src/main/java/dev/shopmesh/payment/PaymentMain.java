package dev.shopmesh.payment;

import dev.shopmesh.platform.boot.Launcher;

/** Runs payment-service on its own: {@code java -jar payment-service.jar [--grpc-port=N]}. */
public final class PaymentMain {

  private PaymentMain() {
  }

  public static void main(String[] args) {
    Launcher.main(args, PaymentVerticle::new);
  }
}
