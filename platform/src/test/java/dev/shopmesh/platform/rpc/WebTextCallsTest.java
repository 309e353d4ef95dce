package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gRPC-Web's text mode, as grpc-web's generated clients send it by default ({@link WebTextCalls}):
 * answered in text over HTTP/1.1 and HTTP/2, and a body that is not one base64-encoded message
 * refused saying why, where vertx-grpc alone never answered it (HTTP/1.1) or misread it (HTTP/2).
 */
@ExtendWith(VertxExtension.class)
class WebTextCallsTest {

  static final int LIMIT = 64 * 1024;
  static final String CHECK = "/grpc.health.v1.Health/Check";

  Vertx vertx;
  /** One connection: a call left unanswered would hold up every call after it. */
  HttpClientAgent http1;
  HttpClientAgent http2;
  int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    http1 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1), new PoolOptions().setHttp1MaxSize(1));
    http2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    port = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, LIMIT, 100), "127.0.0.1", 0, 1, 0, true, List.of(),
      Logger.getLogger("test"), GrpcCallCounts.create())).port();
  }

  @Test
  void aCallIsAnsweredInTextOverEitherHttpVersion() throws Exception {
    for (HttpClientAgent http : List.of(http1, http2)) {
      Answer answer = call(http, base64(frame(0, check(""))));
      assertThat(answer.response().statusCode()).isEqualTo(200);
      assertThat(answer.response().getHeader("content-type")).isEqualTo("application/grpc-web-text");
      ByteBuffer body = ByteBuffer.wrap(decodeChunks(answer.body().toString()));
      assertThat(body.get()).as("a message frame").isEqualTo((byte) 0);
      byte[] message = new byte[body.getInt()];
      body.get(message);
      assertThat(HealthCheckResponse.parseFrom(message).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(body.get()).as("the trailers frame").isEqualTo((byte) 0x80);
      byte[] trailers = new byte[body.getInt()];
      body.get(trailers);
      assertThat(new String(trailers, StandardCharsets.US_ASCII)).contains("grpc-status:0");
    }
  }

  @Test
  void aBodyThatIsNotOneBase64MessageIsInvalidArgumentSayingWhy() {
    byte[] one = frame(0, check("x"));
    byte[] two = Buffer.buffer(one).appendBytes(frame(0, check("y"))).getBytes();
    List<List<String>> cases = List.of(
      List.of("!!!!", "the body is not base64, as a gRPC-Web text call's is: "),
      List.of("", "the call sent no message: a gRPC-Web text call's body is its message, base64-encoded"),
      List.of(base64(new byte[] {0, 0, 0}), "the body decodes to 3 bytes, short of a message's 5-byte prefix"),
      List.of(base64(two), "the message's prefix gives it 3 bytes, and the body holds 11 after the prefix:"
        + " a gRPC-Web text call sends one whole message"),
      List.of(base64(frame(1, check("x"))), "the message is flagged compressed: gRPC-Web text is read uncompressed here"));
    for (HttpClientAgent http : List.of(http1, http2)) {
      for (List<String> bad : cases) {
        Answer answer = call(http, bad.get(0));
        assertThat(answer.response().statusCode()).as(bad.get(0)).isEqualTo(200);
        assertThat(answer.response().getHeader("grpc-status")).as(bad.get(0)).isEqualTo("3");
        assertThat(answer.response().getHeader("grpc-message")).as(bad.get(0)).startsWith(bad.get(1));
      }
    }
  }

  /** The method is what is wrong first: a mistyped path is told so, whatever its body, as in binary mode. */
  @Test
  void aCallToAMethodNotServedIsUnimplementedWhateverItsBody() {
    for (HttpClientAgent http : List.of(http1, http2)) {
      for (String body : List.of("!!!!", base64(frame(0, check(""))))) {
        Answer answer = call(http, "/grpc.health.v1.Health/Chek", body);
        assertThat(answer.response().getHeader("grpc-status")).as(body).isEqualTo("12");
      }
      assertThat(call(http, "!!!!").response().getHeader("grpc-status")).as("the connection still answers").isEqualTo("3");
    }
  }

  @Test
  void aRefusalIsLoggedOnceAsTheCallersMistake() {
    try (LogCapture log = new LogCapture("test", Level.ALL)) {
      call(http1, "!!!!");
      assertThat(log.records()).singleElement().satisfies(record -> {
        assertThat(record.getLevel()).isEqualTo(Level.INFO);
        assertThat(record.getMessage()).startsWith("Check failed: INVALID_ARGUMENT the body is not base64");
      });
    }
  }

  @Test
  void aBodyOverTheLimitIsResourceExhausted() {
    String text = base64(frame(0, check("a".repeat(LIMIT))));
    Answer answer = call(http1, text);
    assertThat(answer.response().getHeader("grpc-status")).isEqualTo("8");
    assertThat(answer.response().getHeader("grpc-message"))
      .isEqualTo("a message's base64 text of " + text.length() + " bytes is over the 65536-byte limit");
  }

  /** The limit is what may be sent: a body of exactly that many bytes is read (here: no such service, NOT_FOUND). */
  @Test
  void aBodyOfExactlyTheLimitIsRead() {
    String text = base64(frame(0, check("a".repeat(49_143))));
    assertThat(text).hasSize(LIMIT);
    for (HttpClientAgent http : List.of(http1, http2)) {
      assertThat(call(http, CHECK, TEXT, text).response().getHeader("grpc-status")).isEqualTo("5");
    }
  }

  /** gRPC-Web's content type may name its encoding: read and checked as text all the same. */
  @Test
  void textModeNamingProtoIsTextMode() throws Exception {
    for (HttpClientAgent http : List.of(http1, http2)) {
      Answer good = call(http, CHECK, TEXT + "+proto", base64(frame(0, check(""))));
      ByteBuffer body = ByteBuffer.wrap(decodeChunks(good.body().toString()));
      assertThat(body.get()).as("a message frame").isEqualTo((byte) 0);
      byte[] message = new byte[body.getInt()];
      body.get(message);
      assertThat(HealthCheckResponse.parseFrom(message).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(call(http, CHECK, TEXT + "+proto", "!!!!").response().getHeader("grpc-status")).isEqualTo("3");
    }
  }

  static final String TEXT = "application/grpc-web-text";

  record Answer(HttpClientResponse response, Buffer body) {
  }

  private Answer call(HttpClientAgent http, String text) {
    return call(http, CHECK, text);
  }

  private Answer call(HttpClientAgent http, String path, String text) {
    return call(http, path, TEXT, text);
  }

  private Answer call(HttpClientAgent http, String path, String contentType, String text) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
      .putHeader("content-type", contentType).putHeader("x-grpc-web", "1")
      .setTimeout(Duration.ofSeconds(5).toMillis());
    return Await.onEventLoop(vertx, () -> http.request(options).compose(request -> request.send(text))
      .compose(response -> response.body().map(received -> new Answer(response, received))));
  }

  private static byte[] check(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build().toByteArray();
  }

  private static byte[] frame(int flag, byte[] message) {
    return Buffer.buffer().appendByte((byte) flag).appendInt(message.length).appendBytes(message).getBytes();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** An answer's frames, each base64-encoded on its own (padded), one after the other. */
  private static byte[] decodeChunks(String text) {
    Buffer decoded = Buffer.buffer();
    Matcher chunk = Pattern.compile("[^=]+=*").matcher(text);
    while (chunk.find()) {
      decoded.appendBytes(Base64.getDecoder().decode(chunk.group()));
    }
    return decoded.getBytes();
  }
}
