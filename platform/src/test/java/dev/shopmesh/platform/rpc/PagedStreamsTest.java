package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static dev.shopmesh.platform.rpc.CancelledStreamsTest.ASK;
import static dev.shopmesh.platform.rpc.CancelledStreamsTest.CALLED;
import static dev.shopmesh.platform.rpc.CancelledStreamsTest.SERVED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table streamed a page at a time ({@link Rpc#streamPages}) to a reader that pauses
 * ({@link MeshClient#read}): the server reads no further than the reader takes.
 */
@ExtendWith(VertxExtension.class)
class PagedStreamsTest {

  static final int PAGE = 100;
  static final int PAGES = 200;
  /** About 1 KB a record: 200 pages are 20 MB, far more than HTTP/2's flow-control windows. */
  static final String FILLER = "x".repeat(1_000);

  @Test
  void aPausedReaderHoldsTheServerBackAndThenGetsEveryRecordInOrder(Vertx vertx) {
    AtomicInteger pagesRead = new AtomicInteger();
    GrpcServer grpc = GrpcServer.server(vertx).callHandler(SERVED, request -> request.handler(ask ->
      Rpc.streamPages(Logger.getLogger("test"), "Stream", last -> {
        pagesRead.incrementAndGet();
        int from = last == null ? 0 : index(last) + 1;
        List<HealthCheckRequest> page = new ArrayList<>();
        for (int i = from; i < Math.min(from + PAGE, PAGE * PAGES); i++) {
          page.add(HealthCheckRequest.newBuilder().setService(String.format("%06d", i) + FILLER).build());
        }
        // As a database answers: on a later turn of the event loop.
        Promise<List<HealthCheckRequest>> read = Promise.promise();
        vertx.runOnContext(v -> read.complete(page));
        return read.future();
      }, PAGE, request.response())));
    HttpServer http = Await.result(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 1_000);
    Await.result(discovery.register("paged-service", "127.0.0.1", http.actualPort(), JsonObject::new, JsonObject::new).compose(id -> replicas.refresh()));
    MeshClient client = new MeshClient(vertx, new RpcSettings(5_000, 64 * 1024, 1_000), LbSettings.from(Config.of(Map.of())), replicas);

    List<Integer> received = new ArrayList<>();
    int[] pagesReadWhilePaused = {-1};
    Future<Void> read = client.read("paged-service", CALLED, ASK, 30_000, Promise.promise().future(), stream ->
      stream.handler(record -> {
        received.add(index(record));
        if (received.size() == 1) {
          stream.pause();
          vertx.setTimer(500, t -> {
            pagesReadWhilePaused[0] = pagesRead.get();
            stream.resume();
          });
        }
      }));

    Await.result(read);
    // Without waiting for the response to drain, the server read all 200 pages in those 500 ms.
    assertThat(pagesReadWhilePaused[0]).isBetween(1, 5);
    assertThat(received).hasSize(PAGE * PAGES);
    for (int i = 0; i < received.size(); i++) {
      assertThat(received.get(i)).isEqualTo(i);
    }
    // The last page was full: one more, empty, says it was the last.
    assertThat(pagesRead.get()).isEqualTo(PAGES + 1);
  }

  static int index(HealthCheckRequest record) {
    return Integer.parseInt(record.getService().substring(0, 6));
  }
}
