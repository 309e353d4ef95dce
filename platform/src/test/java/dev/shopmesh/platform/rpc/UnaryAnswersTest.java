package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.testing.Await;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.logging.Logger;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One-message answers reach Vert.x as one {@code end(message)} ({@link UnaryAnswers},
 * {@link HeldWriteResponse}), and nothing else changes: the same answer on the wire, streams and
 * writes not followed by an end sent as before.
 */
@ExtendWith(VertxExtension.class)
class UnaryAnswersTest {

  static final RpcSettings SETTINGS = new RpcSettings(5_000, 64 * 1024, 100);

  Vertx vertx;
  HttpClientAgent http;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @Test
  void aUnaryAnswerArrivesAsVertxWouldSendIt() throws Exception {
    MeshServer server = Await.result(MeshServer.start(vertx, SETTINGS, "127.0.0.1", 0, 1, 0, false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    Answer answer = exchange(server.port(), "/grpc.health.v1.Health/Check",
      framed(HealthCheckRequest.getDefaultInstance().toByteArray()));
    assertThat(HealthCheckResponse.parseFrom(answer.body().getBytes(5, answer.body().length())).getStatus())
      .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    // Vert.x adds a content-length to a response ended with its body; a gRPC answer never had one.
    assertThat(answer.response().headers().names()).containsExactlyInAnyOrder("content-type", "grpc-accept-encoding");
    assertThat(answer.response().getTrailer("grpc-status")).isEqualTo("0");
  }

  @Test
  void aWriteThenAnEndReachVertxAsOneEnd() {
    List<String> calls = new ArrayList<>();
    HttpServerResponse recorder = recording(calls);
    Await.result(onEventLoop(eventLoop -> {
      HeldWriteResponse response = new HeldWriteResponse(recorder, eventLoop);
      Future<Void> written = response.write(Buffer.buffer("message"));
      response.trailers();
      Future<Void> ended = response.end();
      return Future.all(written, ended).mapEmpty();
    }));
    // headers and trailers read between: where a failure's grpc-message would be (GrpcMessages).
    assertThat(calls).containsExactly("trailers", "headers", "trailers", "headersEndHandler", "end(message)");
  }

  @Test
  void aStreamsMessagesGoOutAsTheyAreWritten() throws Exception {
    // Watch sends the current status, then keeps the stream open.
    MeshServer server = Await.result(MeshServer.start(vertx, SETTINGS, "127.0.0.1", 0, 1, 0, false, List.of(), Logger.getLogger("test"), GrpcCallCounts.create()));
    HttpClientRequest request = Await.result(call(server.port(), "/grpc.health.v1.Health/Watch"));
    Promise<Buffer> first = Promise.promise();
    // Set where the headers arrive: Watch sends its status once, right after them.
    request.response().onSuccess(answer -> answer.handler(first::tryComplete));
    HttpClientResponse response = Await.result(request.send(framed(HealthCheckRequest.getDefaultInstance().toByteArray())));
    Buffer message = Await.result(first.future());
    assertThat(HealthCheckResponse.parseFrom(message.getBytes(5, message.length())).getStatus())
      .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(response.getHeader("content-length")).isNull();
    request.reset();
  }

  @Test
  void onlyMethodsThatAnswerWithOneMessageHaveTheirAnswersHeld() {
    // A stream gains nothing from holding: a message is followed by the next one, not by the end.
    assertThat(UnaryAnswers.paths(List.of(HealthService.create(vertx), new ServerReflection(new ServedMethods()))))
      .contains("/grpc.health.v1.Health/Check")
      .doesNotContain("/grpc.health.v1.Health/Watch", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
  }

  @Test
  void writesBeforeTheLastGoOutFirstAndInOrder() {
    int port = serve(response -> {
      response.write(Buffer.buffer("one "));
      response.write(Buffer.buffer("two "));
      response.putTrailer("x-count", "3");
      return response.end(Buffer.buffer("three"));
    });
    Answer answer = exchange(port, "/", Buffer.buffer());
    assertThat(answer.body().toString()).isEqualTo("one two three");
    assertThat(answer.response().getTrailer("x-count")).isEqualTo("3");
  }

  @Test
  void aWriteLeftWithoutAnEndGoesOutAtTheEndOfItsTask() {
    // A handler that ends once its write is done must not wait for ever on a held write.
    int port = serve(response -> response.write(Buffer.buffer("the answer")).compose(v -> response.end()));
    Answer answer = exchange(port, "/", Buffer.buffer());
    assertThat(answer.body().toString()).isEqualTo("the answer");
  }

  /** A plain HTTP/2 server answering each request through a {@link HeldWriteResponse}. */
  private int serve(Function<HttpServerResponse, Future<Void>> answer) {
    HttpServer server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(request -> answer.apply(new HeldWriteResponse(request.response(),
        ((HttpServerRequestInternal) request).context().nettyEventLoop())))
      .listen());
    return server.actualPort();
  }

  private Future<HttpClientRequest> call(int port, String path) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
      .putHeader("content-type", "application/grpc").putHeader("te", "trailers"));
  }

  /** Runs {@code test} on an event loop of this test's Vert.x, with that event loop. */
  private <T> Future<T> onEventLoop(Function<EventExecutor, Future<T>> test) {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> test.apply(context.nettyEventLoop()).onComplete(done));
    return done.future();
  }

  /** A response that records the calls made to it: names, and the body of a write or an end. */
  private static HttpServerResponse recording(List<String> calls) {
    MultiMap trailers = MultiMap.caseInsensitiveMultiMap();
    return (HttpServerResponse) Proxy.newProxyInstance(UnaryAnswersTest.class.getClassLoader(),
      new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> {
        boolean withBody = args != null && args.length == 1 && args[0] instanceof Buffer;
        calls.add(withBody ? method.getName() + "(" + args[0] + ")" : method.getName());
        if (method.getReturnType() == Future.class) {
          return Future.succeededFuture();
        }
        return method.getReturnType() == MultiMap.class ? trailers : proxy;
      });
  }

  record Answer(HttpClientResponse response, Buffer body) {
  }

  /** A whole exchange, run on an event loop ({@link Await#onEventLoop}). */
  private Answer exchange(int port, String path, Buffer body) {
    return Await.onEventLoop(vertx, () -> call(port, path).compose(request -> request.send(body))
      .compose(response -> response.body().map(received -> new Answer(response, received))));
  }

  /** A gRPC length-prefixed message: uncompressed flag, length, bytes. */
  private static Buffer framed(byte[] message) {
    return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
  }
}
