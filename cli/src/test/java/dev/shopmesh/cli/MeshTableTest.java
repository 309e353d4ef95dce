package dev.shopmesh.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeshTableTest {

  /**
   * Three catalog replicas sharing 200 calls, one of them down, the first saying it answered 100 (10
   * of them not OK) besides its callers' health checks; a payment service never called.
   */
  static final JsonObject SAMPLE = new JsonObject("""
    {"strategy":"power-of-two",
     "services":[
       {"name":"catalog-service","replicas":[
         {"id":"c1","address":"127.0.0.1:40123","healthy":true,"calls":100,"errors":0,"inFlight":2,"p99Ms":4.25,
          "served":{"/grpc.health.v1.Health/Check":{"OK":30},"/shop.catalog.v1.CatalogService/ReserveStock":{"FAILED_PRECONDITION":10,"OK":90}}},
         {"id":"c2","address":"127.0.0.1:40124","healthy":true,"calls":50,"errors":1,"inFlight":0,"p99Ms":12.0},
         {"id":"c3","address":"127.0.0.1:40125","healthy":false,"calls":50,"errors":7,"inFlight":0,"p99Ms":0.0}]},
       {"name":"payment-service","replicas":[
         {"id":"p1","address":"127.0.0.1:40200","healthy":true,"calls":0,"errors":0,"inFlight":0,"p99Ms":0.0}]},
       {"name":"shipping-service","replicas":[]}]}
    """);

  @Test
  void formatsEachServiceWithItsReplicasAndTheirShareOfTheCalls() {
    assertThat(MeshTable.format(SAMPLE)).isEqualTo("""
      load balancer: power-of-two

      catalog-service: 3 replicas
        ADDRESS          HEALTHY  CALLS  SHARE  ERRORS  IN-FLIGHT  P99 MS  ANSWERED  NOT OK
        127.0.0.1:40123  yes        100  50.0%       0          2     4.3       100      10
        127.0.0.1:40124  yes         50  25.0%       1          0    12.0         0       0
        127.0.0.1:40125  NO          50  25.0%       7          0     0.0         0       0

      payment-service: 1 replica
        ADDRESS          HEALTHY  CALLS  SHARE  ERRORS  IN-FLIGHT  P99 MS  ANSWERED  NOT OK
        127.0.0.1:40200  yes          0      -       0          0     0.0         0       0

      shipping-service: 0 replicas
      """ + "\n" + MeshTable.LEGEND);
    assertThat(MeshTable.LEGEND).as("the p99's window, and what ERRORS and NOT OK count")
      .contains("last 1,024 calls", "ERRORS got no answer", "NOT OK is any status but OK");
  }

  /** No table, no legend of its columns: two lines explaining nothing under "0 replicas". */
  @Test
  void aMeshWithNoReplicaHasNoLegend() {
    assertThat(MeshTable.format(new JsonObject("""
      {"strategy":"round-robin","services":[{"name":"catalog-service","replicas":[]}]}
      """))).isEqualTo("load balancer: round-robin\n\ncatalog-service: 0 replicas\n");
  }

  @Test
  void sharesAreOfTheServicesOwnCallsNotOfAllCalls() {
    JsonObject mesh = new JsonObject("""
      {"strategy":"round-robin","services":[
        {"name":"a","replicas":[{"address":"h:1","healthy":true,"calls":1},{"address":"h:2","healthy":true,"calls":2}]},
        {"name":"b","replicas":[{"address":"h:3","healthy":true,"calls":1000}]}]}
      """);

    String table = MeshTable.format(mesh);

    assertThat(table).contains("33.3%", "66.7%", "100.0%");
    // Fields the gateway left out show as 0, or "-" for a latency it never measured.
    assertThat(table.lines().filter(l -> l.contains("h:1")).findFirst().orElseThrow())
      .matches(".*\\s0\\s+0\\s+-\\s+0\\s+0$");
  }

  /**
   * Rates since an earlier answer: 20 calls each in 2 s, 18 of them answered by the first (2 not OK)
   * as it says. A replica not in that answer (just added)
   * has no rate yet, rather than its whole count read as one interval's; a total that went down
   * (the gateway restarted) counts as no calls.
   */
  @Test
  void ratesSinceAnEarlierAnswerShowTheShareOfTheCallsSince() {
    JsonObject before = new JsonObject("""
      {"strategy":"round-robin","services":[
        {"name":"catalog-service","replicas":[
          {"address":"h:1","healthy":true,"calls":100,"errors":3,"served":{"/shop.catalog.v1.CatalogService/ReserveStock":{"OK":80}}},
          {"address":"h:2","healthy":true,"calls":50,"errors":0}]},
        {"name":"payment-service","replicas":[{"address":"h:9","healthy":true,"calls":40,"errors":0}]}]}
      """);
    JsonObject now = new JsonObject("""
      {"strategy":"round-robin","services":[
        {"name":"catalog-service","replicas":[
          {"address":"h:1","healthy":true,"calls":120,"errors":5,"inFlight":1,"p99Ms":2.0,
           "served":{"/shop.catalog.v1.CatalogService/ReserveStock":{"FAILED_PRECONDITION":2,"OK":96}}},
          {"address":"h:2","healthy":true,"calls":70,"errors":0,"inFlight":0,"p99Ms":3.0},
          {"address":"h:3","healthy":true,"calls":20,"errors":0,"inFlight":0,"p99Ms":2.5}]},
        {"name":"payment-service","replicas":[{"address":"h:9","healthy":true,"calls":10,"errors":0}]}]}
      """);

    assertThat(MeshTable.format(now, before, 2.0)).isEqualTo("""
      load balancer: round-robin

      catalog-service: 3 replicas
        ADDRESS  HEALTHY  CALLS/S  SHARE  ERRORS/S  IN-FLIGHT  P99 MS  ANSWERED/S  NOT OK/S
        h:1      yes         10.0  50.0%       1.0          1     2.0         9.0       1.0
        h:2      yes         10.0  50.0%       0.0          0     3.0         0.0       0.0
        h:3      yes            -      -         -          0     2.5           -         -

      payment-service: 1 replica
        ADDRESS  HEALTHY  CALLS/S  SHARE  ERRORS/S  IN-FLIGHT  P99 MS  ANSWERED/S  NOT OK/S
        h:9      yes          0.0      -       0.0          0       -         0.0       0.0
      """ + "\n" + MeshTable.LEGEND);
  }

  @Test
  void aMeshWithoutServicesSaysSo() {
    assertThat(MeshTable.format(new JsonObject().put("strategy", "power-of-two").put("services", new io.vertx.core.json.JsonArray())))
      .isEqualTo("load balancer: power-of-two\nno services registered\n");
  }
}
