package dev.shopmesh.gateway.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

  @Test
  void everyReplicaIsASeriesOfEachFamilyLabelledWithItsServiceAndAddress() {
    JsonObject mesh = new JsonObject("""
      {"strategy":"round-robin","services":[
        {"name":"catalog-service","replicas":[
          {"id":"c1","address":"10.0.0.5:50051","healthy":true,"calls":120,"errors":2,"inFlight":3,"p99Ms":4.5,
           "served":{"/shop.catalog.v1.CatalogService/GetProduct":{"NOT_FOUND":1,"OK":41}},
           "latency":{"/shop.catalog.v1.CatalogService/GetProduct":{"buckets":[30,40,42,42,42,42,42,42,42,42,42,42,42,42],"sum":0.0425}}},
          {"id":"c2","address":"[::1]:50052","healthy":false,"calls":0,"errors":0,"inFlight":0,"p99Ms":0.0}]},
        {"name":"pay\\"ment\\\\service","replicas":[]}]}
      """);

    assertThat(PrometheusText.of(mesh)).isEqualTo("""
      # HELP shopmesh_replicas Replicas registered, by service (0 for a service the gateway needs and has none of).
      # TYPE shopmesh_replicas gauge
      shopmesh_replicas{service="catalog-service"} 2
      shopmesh_replicas{service="pay\\"ment\\\\service"} 0
      # HELP shopmesh_replica_healthy 1 when the replica answered its health check SERVING just now, else 0.
      # TYPE shopmesh_replica_healthy gauge
      shopmesh_replica_healthy{service="catalog-service",replica="10.0.0.5:50051"} 1
      shopmesh_replica_healthy{service="catalog-service",replica="[::1]:50052"} 0
      # HELP shopmesh_replica_calls_total Calls made to the replica, summed over its callers.
      # TYPE shopmesh_replica_calls_total counter
      shopmesh_replica_calls_total{service="catalog-service",replica="10.0.0.5:50051"} 120
      shopmesh_replica_calls_total{service="catalog-service",replica="[::1]:50052"} 0
      # HELP shopmesh_replica_errors_total Calls to the replica that got no answer from it (connection refused or lost, stream reset), summed over its callers.
      # TYPE shopmesh_replica_errors_total counter
      shopmesh_replica_errors_total{service="catalog-service",replica="10.0.0.5:50051"} 2
      shopmesh_replica_errors_total{service="catalog-service",replica="[::1]:50052"} 0
      # HELP shopmesh_replica_in_flight Calls to the replica in flight, summed over its callers.
      # TYPE shopmesh_replica_in_flight gauge
      shopmesh_replica_in_flight{service="catalog-service",replica="10.0.0.5:50051"} 3
      shopmesh_replica_in_flight{service="catalog-service",replica="[::1]:50052"} 0
      # HELP shopmesh_replica_latency_p99_seconds 99th percentile latency of a caller's last 1024 calls to the replica, the worst of its callers'.
      # TYPE shopmesh_replica_latency_p99_seconds gauge
      shopmesh_replica_latency_p99_seconds{service="catalog-service",replica="10.0.0.5:50051"} 0.0045
      shopmesh_replica_latency_p99_seconds{service="catalog-service",replica="[::1]:50052"} 0.0
      # HELP shopmesh_replica_grpc_server_calls_total gRPC calls the replica's server answered, by method and status (code), as of its last heartbeat.
      # TYPE shopmesh_replica_grpc_server_calls_total counter
      shopmesh_replica_grpc_server_calls_total{service="catalog-service",replica="10.0.0.5:50051",method="/shop.catalog.v1.CatalogService/GetProduct",code="NOT_FOUND"} 1
      shopmesh_replica_grpc_server_calls_total{service="catalog-service",replica="10.0.0.5:50051",method="/shop.catalog.v1.CatalogService/GetProduct",code="OK"} 41
      # HELP shopmesh_replica_grpc_server_call_duration_seconds Seconds the replica's server took to answer gRPC calls, by method, as of its last heartbeat.
      # TYPE shopmesh_replica_grpc_server_call_duration_seconds histogram
      """ + latency("0.001\"} 30", "0.0025\"} 40", "0.005\"} 42", "0.01\"} 42", "0.025\"} 42", "0.05\"} 42", "0.1\"} 42",
        "0.25\"} 42", "0.5\"} 42", "1.0\"} 42", "2.5\"} 42", "5.0\"} 42", "10.0\"} 42", "+Inf\"} 42") + """
      shopmesh_replica_grpc_server_call_duration_seconds_sum{service="catalog-service",replica="10.0.0.5:50051",method="/shop.catalog.v1.CatalogService/GetProduct"} 0.0425
      shopmesh_replica_grpc_server_call_duration_seconds_count{service="catalog-service",replica="10.0.0.5:50051",method="/shop.catalog.v1.CatalogService/GetProduct"} 42
      """);
  }

  /** The {@code _bucket} lines of the one replica's GetProduct latency, each given as {@code le"} count}. */
  private static String latency(String... buckets) {
    StringBuilder out = new StringBuilder();
    for (String bucket : buckets) {
      out.append("shopmesh_replica_grpc_server_call_duration_seconds_bucket{service=\"catalog-service\",replica=\"10.0.0.5:50051\",")
        .append("method=\"/shop.catalog.v1.CatalogService/GetProduct\",le=\"").append(bucket).append('\n');
    }
    return out.toString();
  }
}
