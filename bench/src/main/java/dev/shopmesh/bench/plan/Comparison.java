package dev.shopmesh.bench.plan;

import java.util.List;

/** A ratio the report prints: {@code numerator / denominator}, of the medians of two targets. */
public record Comparison(String title, String numerator, String denominator) {

  public static final List<Comparison> ALL = List.of(
    new Comparison("SayHello: shopmesh / grpc-java", "shopmesh-grpc-sayhello", "grpc-java-grpc-sayhello"),
    new Comparison("SayHello: shopmesh / bare-vertx", "shopmesh-grpc-sayhello", "bare-vertx-grpc-sayhello"),
    new Comparison("gateway: gRPC SayHello / REST /health", "shopmesh-grpc-sayhello", "shopmesh-rest-health"),
    new Comparison("catalog page: gRPC ListProducts / REST /api/products", "shopmesh-grpc-listproducts", "shopmesh-rest-products"));
}
