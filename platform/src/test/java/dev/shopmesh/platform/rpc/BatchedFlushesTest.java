package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.Discovery;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.testing.Await;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writes in one event-loop turn leave in one flush, on the connections the mesh's servers
 * accept and on those its clients open. A counter put first in the pipeline, where the socket is,
 * sees the flushes that reach it; without {@link BatchedFlushes} it sees one per write.
 */
class BatchedFlushesTest {

  static final int WRITES = 50;
  static final ServiceName SINK = ServiceName.create("test.Sink");
  static final ServiceMethod<HealthCheckRequest, HealthCheckRequest> SERVED = ServiceMethod.server(SINK, "Count",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
  static final ServiceMethod<HealthCheckRequest, HealthCheckRequest> CALLED = ServiceMethod.client(SINK, "Count",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
  static final HealthCheckRequest ITEM = HealthCheckRequest.newBuilder().setService("item").build();

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void anAnswerWrittenInOneTurnLeavesTheServerInOneFlush() {
    FlushCounter counter = new FlushCounter();
    EventLoopServers servers = Await.result(EventLoopServers.listen(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0),
      request -> {
        counter.putFirst(((HttpServerConnection) request.connection()).channelHandlerContext());
        HttpServerResponse response = request.response().setChunked(true);
        // Outside the connection's read, as an answer whose work ended elsewhere would be.
        vertx.setTimer(1, t -> {
          for (int i = 0; i < WRITES; i++) {
            response.write("chunk " + i + "\n");
          }
          response.end();
        });
      }, 1, 0));
    HttpClient http = vertx.createHttpClient();
    String body = Await.result(http.request(HttpMethod.GET, servers.port(), "127.0.0.1", "/")
      .compose(req -> req.send()).compose(resp -> resp.body()).map(Object::toString));
    assertThat(body.lines()).hasSize(WRITES);
    assertThat(counter.flushes.get()).as("flushes for %d writes and the end", WRITES).isLessThanOrEqualTo(2);
  }

  @Test
  void messagesAMeshClientWritesInOneTurnLeaveInOneFlush() {
    GrpcServer grpc = GrpcServer.server(vertx).callHandler(SERVED, req -> {
      AtomicInteger received = new AtomicInteger();
      req.handler(item -> received.incrementAndGet());
      req.endHandler(v -> req.response().end(HealthCheckRequest.newBuilder().setService(String.valueOf(received.get())).build()));
    });
    int port = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(grpc).listen()).actualPort();
    Discovery discovery = new Discovery(vertx, Config.of(Map.of()));
    ReplicaCache replicas = new ReplicaCache(vertx, discovery, 1_000);
    Await.result(discovery.register("sink-service", "127.0.0.1", port, JsonObject::new).compose(id -> replicas.refresh()));
    MeshClient client = new MeshClient(vertx, new RpcSettings(5_000, 64 * 1024, 1_000), LbSettings.from(Config.of(Map.of())), replicas);

    FlushCounter counter = new FlushCounter();
    String received = Await.result(client.<HealthCheckRequest, HealthCheckRequest>stream("sink-service", CALLED).compose(req -> {
      counter.putFirst(((HttpClientConnectionInternal) req.connection()).channelHandlerContext());
      // Outside the connection's read, as a call made when other work ends would be.
      vertx.setTimer(1, t -> {
        for (int i = 1; i < WRITES; i++) {
          req.write(ITEM);
        }
        req.end(ITEM);
      });
      return req.response().compose(resp -> resp.last()).map(HealthCheckRequest::getService);
    }));
    assertThat(received).isEqualTo(String.valueOf(WRITES));
    // One for the turn that wrote; the answer's frames draw one or two more (acknowledgements, window updates).
    assertThat(counter.flushes.get()).as("flushes for the headers and %d messages", WRITES).isLessThanOrEqualTo(4);
  }

  /** Counts the flushes that reach the socket, once it is first in a pipeline. */
  static final class FlushCounter extends ChannelOutboundHandlerAdapter {

    final AtomicInteger flushes = new AtomicInteger();

    void putFirst(ChannelHandlerContext anyHandler) {
      anyHandler.pipeline().addFirst(this);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  }
}
