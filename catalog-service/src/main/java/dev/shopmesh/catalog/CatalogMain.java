package dev.shopmesh.catalog;

import dev.shopmesh.platform.boot.Launcher;

/** Runs catalog-service on its own: {@code java -jar catalog-service.jar [--grpc-port=N]}. */
public final class CatalogMain {

  private CatalogMain() {
  }

  public static void main(String[] args) {
    Launcher.main(args, CatalogVerticle::new);
  }
}
