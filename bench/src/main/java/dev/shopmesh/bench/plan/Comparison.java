package dev.shopmesh.bench.plan;

import java.util.List;

/** A ratio the report prints: {@code numerator / denominator}, of the medians of two targets. */
public record Comparison(String title, String numerator, String denominator) {

  public static final List<Comparison> ALL = List.of(
    new Comparison("SayHello: shopmesh / grpc-java", "shopmesh-grpc-sayhello", "grpc-java-grpc-sayhello"),
    new Comparison("SayHello: shopmesh / bare-vertx", "shopmesh-grpc-sayhello", "bare-vertx-grpc-sayhello"),
    new Comparison("gateway: gRPC SayHello / REST /health", "shopmesh-grpc-sayhello", "shopmesh-rest-health"),
    new Comparison("gateway: gRPC SayHello / REST h2c /health", "shopmesh-grpc-sayhello", "shopmesh-h2c-health"),
    new Comparison("catalog page: gRPC GetProductPage / REST", "shopmesh-grpc-productpage", "shopmesh-rest-productpage"),
    new Comparison("catalog page: gRPC GetProductPage / REST h2c", "shopmesh-grpc-productpage", "shopmesh-h2c-productpage"),
    new Comparison("catalog: gRPC ListProducts (stream) / GetProductPage", "shopmesh-grpc-listproducts", "shopmesh-grpc-productpage"));
}
