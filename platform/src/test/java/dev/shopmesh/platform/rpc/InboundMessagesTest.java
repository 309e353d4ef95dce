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
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client sending an odd message gets ({@link InboundMessages}), on a server whose limit is
 * 64 KiB: each refusal a status with a message, a compressed message held to the limit once
 * inflated, a good compressed message still read, and a unary method run for exactly one message.
 */
@ExtendWith(VertxExtension.class)
class InboundMessagesTest {

  static final int LIMIT = 64 * 1024;
  static final String CHECK = "/grpc.health.v1.Health/Check";

  Vertx vertx;
  HttpClientAgent http;
  int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    port = Await.result(MeshServer.start(vertx, new RpcSettings(5_000, LIMIT, 100), "127.0.0.1", 0, 1, 0, true, List.of(),
      Logger.getLogger("test"), GrpcCallCounts.create())).port();
  }

  @Test
  void aCompressedMessageThatInflatesPastTheLimitIsResourceExhaustedAndNeverInflatedWhole() {
    // About 1 KB on the wire, 16 MB inflated: Vert.x alone inflated it all, whatever the limit.
    byte[] bomb = gzip(check("a".repeat(16 << 20)));
    Answer answer = call("gzip", compressed(bomb));
    assertThat(answer.status()).isEqualTo("8");
    assertThat(answer.message()).isEqualTo("the message inflates to more than the 65536-byte limit");
  }

  /** The limit is the most a message may be: one that inflates to exactly it is read, as one sent at exactly it is. */
  @Test
  void aCompressedMessageThatInflatesToExactlyTheLimitIsRead() {
    // A tag, a 3-byte length and the name: LIMIT bytes in all.
    byte[] message = check("a".repeat(LIMIT - 4));
    assertThat(message).hasSize(LIMIT);
    assertThat(call(null, plain(message)).status()).as("sent as it is").isEqualTo("5");
    Answer answer = call("gzip", compressed(gzip(message)));
    assertThat(answer.status()).as(answer.message()).isEqualTo("5");
  }

  @Test
  void aCompressedMessageWithinTheLimitIsReadEvenAnEmptyOne() throws Exception {
    // Vert.x alone refused a compressed empty message (every field at its default) as "invalid GZIP".
    Answer empty = call("gzip", compressed(gzip(check(""))));
    assertThat(empty.status()).isEqualTo("0");
    assertThat(HealthCheckResponse.parseFrom(empty.body().getBytes(5, empty.body().length())).getStatus())
      .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    Answer named = call("gzip", compressed(gzip(check("no.such.Service"))));
    assertThat(named.status()).as("the health service's own answer for a service it does not know").isEqualTo("5");
  }

  @Test
  void aMessageThatIsNotTheRequestTypeIsInvalidArgumentNamingTheType() {
    // Field 1 announced as 100 bytes long, with 3 sent: what a truncated or mistyped message looks like.
    Answer answer = call(null, plain(new byte[] {0x0a, 100, 'a', 'b', 'c'}));
    assertThat(answer.status()).isEqualTo("3");
    assertThat(answer.message()).startsWith("the message is not a valid grpc.health.v1.HealthCheckRequest: ")
      .contains("truncated");
  }

  @Test
  void aMessageThatIsNotGzipIsInvalidArgument() {
    Answer answer = call("gzip", compressed(check("x")));
    assertThat(answer.status()).isEqualTo("3");
    assertThat(answer.message()).startsWith("the message is not valid gzip: ");
    byte[] whole = gzip(check("x"));
    Answer cut = call("gzip", compressed(java.util.Arrays.copyOf(whole, whole.length - 4)));
    assertThat(cut.message()).as("cut short").isEqualTo("the message is not valid gzip: it ends before its end");
  }

  @Test
  void aMessageOverTheLimitAsSentIsResourceExhaustedSayingSo() {
    Answer answer = call(null, plain(check("a".repeat(LIMIT))));
    assertThat(answer.status()).isEqualTo("8");
    assertThat(answer.message()).isEqualTo("a message of " + (LIMIT + 4) + " bytes is over the 65536-byte limit");
  }

  /** The gRPC spec's answer, at once: vertx-grpc alone never answered it, and logged two stacks. */
  @Test
  void aMessageFlaggedCompressedInACallNamingNoCompressionIsInternal() throws Exception {
    try (LogCapture log = new LogCapture("test", Level.ALL)) {
      Answer answer = call(null, compressed(gzip(check("x"))));
      assertThat(answer.status()).isEqualTo("13");
      assertThat(answer.message()).isEqualTo("a message flagged compressed, in a call whose grpc-encoding names no compression");
      // INTERNAL as gRPC says, but the caller's mistake: not an ERROR with a stack, as a bug of ours is.
      assertThat(log.records()).singleElement().satisfies(record -> {
        assertThat(record.getLevel()).isEqualTo(Level.INFO);
        assertThat(record.getThrown()).isNull();
      });
    }
  }

  /** vertx-grpc read it as if it were not compressed, and answered OK on whatever those bytes decoded to. */
  @Test
  void aMessageFlaggedCompressedInACallNamingIdentityIsInternalAndAPlainOneIsRead() {
    Answer answer = call("identity", compressed(gzip(check("x"))));
    assertThat(answer.status()).isEqualTo("13");
    assertThat(answer.message()).isEqualTo("a message flagged compressed, in a call whose grpc-encoding names no compression");
    assertThat(call("identity", plain(check(""))).status()).isEqualTo("0");
  }

  @Test
  void anUnknownCompressionIsUnimplementedNamingWhatTheServerReads() {
    Answer answer = call("snappy", compressed(check("x")));
    assertThat(answer.status()).isEqualTo("12");
    assertThat(answer.message()).isEqualTo("grpc-encoding 'snappy' is not supported; this server reads gzip");
    assertThat(answer.response().getHeader("grpc-accept-encoding")).isEqualTo("gzip");
  }

  @Test
  void aOneMessageMethodSentTwoMessagesIsRefusedNotAnsweredTwice() {
    Answer answer = call(null, plain(check("")).appendBuffer(plain(check(""))));
    assertThat(answer.status()).isEqualTo("3");
    assertThat(answer.message()).isEqualTo("Check takes one request message; this call sent more");
    assertThat(answer.body().length()).as("no answer message").isZero();
  }

  @Test
  void aOneMessageMethodSentNoneOrHalfOneIsRefusedNotLeftWaiting() {
    Answer none = call(null, Buffer.buffer());
    assertThat(none.status()).isEqualTo("3");
    assertThat(none.message()).isEqualTo("Check takes one request message; this call ended without a whole one");
    Answer half = call(null, plain(check("grpc.health.v1.Health")).getBuffer(0, 8));
    assertThat(half.status()).isEqualTo("3");
    assertThat(half.message()).isEqualTo("Check takes one request message; this call ended without a whole one");
  }

  @Test
  void aDeadlineUnderAMillisecondHasPassedAndAMalformedOneIsRefused() {
    Answer passed = call(null, plain(check("")), "500u");
    assertThat(passed.status()).as("a deadline Vert.x alone read as none").isEqualTo("4");
    Answer malformed = call(null, plain(check("")), "soon");
    assertThat(malformed.status()).isEqualTo("3");
    assertThat(malformed.message()).isEqualTo("grpc-timeout 'soon' is not a timeout: 1 to 8 digits, then H, M, S, m, u or n");
  }

  /** curl -d or a browser on the gRPC port: told where the HTTP API is (Vert.x answered 500 with no body). */
  @Test
  void aRequestThatIsNotGrpcIsToldWhereTheHttpApiIs() {
    Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI("/api/orders").putHeader("content-type", "application/json"), Buffer.buffer("{}"));
    assertThat(answer.response().statusCode()).isEqualTo(415);
    assertThat(answer.body().toString()).isEqualTo(CallGate.NOT_GRPC)
      .as("the settings a user of up and of docker compose would change").contains("SHOPMESH_HTTP_PORT", "SHOPMESH_HTTP_PUBLISH");
  }

  /** A gRPC content type the server does not serve (another message format, a parameter): told which it does, where Vert.x answered an empty 415. */
  @Test
  void aGrpcContentTypeNotServedIsToldWhichAre() {
    for (String type : new String[] {"application/grpc+xml", "application/grpc; charset=utf-8"}) {
      Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(CHECK).putHeader("content-type", type), plain(check("")));
      assertThat(answer.response().statusCode()).as(type).isEqualTo(415);
      assertThat(answer.body().toString()).as(type).isEqualTo("content-type " + type + " is not served here: send application/grpc"
        + " (or application/grpc+proto, application/grpc+json for JSON messages), or gRPC-Web's application/grpc-web"
          + " (application/grpc-web-text for its text mode)\n");
    }
  }

  /**
   * Every content type vertx-grpc serves is let through to it, and answered: each is a client's
   * whole protocol (gRPC-Web's text mode with JSON messages, say), and one left out of the set of
   * served types would fail every call of such a client with 415.
   */
  @ParameterizedTest
  @ValueSource(strings = {"application/grpc", "application/grpc+proto", "application/grpc+json", "application/grpc-web",
    "application/grpc-web+proto", "application/grpc-web+json", "application/grpc-web-text", "application/grpc-web-text+proto",
    "application/grpc-web-text+json"})
  void everyServedContentTypeIsAnswered(String type) {
    byte[] message = type.endsWith("+json") ? "{\"service\":\"\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8) : check("");
    Buffer body = plain(message);
    boolean text = type.startsWith("application/grpc-web-text");
    if (text) {
      body = Buffer.buffer(java.util.Base64.getEncoder().encode(body.getBytes()));
    }
    Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI(CHECK).putHeader("content-type", type).putHeader("te", "trailers"), body);
    assertThat(answer.response().statusCode()).as(type).isEqualTo(200);
    if (type.startsWith("application/grpc-web")) {
      // gRPC-Web puts its status in a frame of the body.
      Buffer frames = answer.body();
      if (text) {
        // Each frame base64-encoded on its own, padded.
        frames = Buffer.buffer();
        java.util.regex.Matcher chunk = java.util.regex.Pattern.compile("[^=]+=*").matcher(answer.body().toString());
        while (chunk.find()) {
          frames.appendBytes(java.util.Base64.getDecoder().decode(chunk.group()));
        }
      }
      String received = frames.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(received).as(type).contains("grpc-status:0");
    } else {
      assertThat(answer.status()).as(type).isEqualTo("0");
    }
  }

  /** curl without --http2-prior-knowledge: told why, where Vert.x answered an empty 415. */
  @Test
  void aGrpcCallOverHttp11IsToldItNeedsHttp2() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(("POST " + CHECK + " HTTP/1.1\r\nHost: x\r\ncontent-type: application/grpc\r\n"
        + "content-length: 5\r\nconnection: close\r\n\r\n\0\0\0\0\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 415 ")
        .endsWith("gRPC needs HTTP/2 (this came over http/1.1); with curl, add --http2-prior-knowledge\n");
    }
  }

  /** gRPC is POST only: a GET with gRPC's content type was served as a call. */
  @Test
  void aCallThatIsNotAPostIs405() {
    Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(CHECK)
      .putHeader("content-type", "application/grpc").putHeader("te", "trailers"), Buffer.buffer());
    assertThat(answer.response().statusCode()).isEqualTo(405);
    assertThat(answer.response().getHeader("allow")).isEqualTo("POST");
    assertThat(answer.body().toString()).isEqualTo("gRPC calls are POST requests, not GET\n");
  }

  /** protobuf's JSON mapping, as docs/grpc-api.md offers: read as JSON, answered in JSON. */
  @Test
  void aMessageInJsonIsReadAndAnsweredInJson() {
    Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(CHECK)
      .putHeader("content-type", "application/grpc+json").putHeader("te", "trailers"), plain("{\"service\": \"\"}".getBytes()));
    assertThat(answer.status()).isEqualTo("0");
    assertThat(answer.body().getBuffer(5, answer.body().length()).toJsonObject().getString("status")).isEqualTo("SERVING");
  }

  /** Where the JSON breaks, in the parser's words without its Java class name. */
  @Test
  void aMessageInBrokenJsonIsInvalidArgumentSayingWhere() {
    Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(CHECK)
      .putHeader("content-type", "application/grpc+json").putHeader("te", "trailers"), plain("{\"serv".getBytes()));
    assertThat(answer.status()).isEqualTo("3");
    assertThat(answer.message()).startsWith("the message is not a valid grpc.health.v1.HealthCheckRequest in JSON: ")
      .contains("line 1 column").doesNotContain("java.", "Exception");
  }

  /**
   * protobuf's own JSON parser took each of these (Gson, lenient): "nul" as text, single quotes, what
   * follows the object, and a field twice (the last kept).
   */
  @Test
  void aMessageInJsonIsReadStrictly() {
    for (String body : List.of("{\"service\":nul}", "{'service':'x'}", "{\"service\":\"x\"} and more",
      "{\"service\":\"x\",\"service\":\"y\"}")) {
      Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(CHECK)
        .putHeader("content-type", "application/grpc+json").putHeader("te", "trailers"), plain(body.getBytes()));
      assertThat(answer.status()).as(body).isEqualTo("3");
      assertThat(answer.message()).as(body).startsWith("the message is not a valid grpc.health.v1.HealthCheckRequest in JSON: ")
        .contains("line 1 column").doesNotContain("java.", "Exception", "Source");
    }
  }

  /** An empty message is protobuf's binary form of one with every field at its default, not JSON's. */
  @Test
  void anEmptyMessageInJsonIsInvalidArgumentSayingJsonHasBraces() {
    Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(CHECK)
      .putHeader("content-type", "application/grpc+json").putHeader("te", "trailers"), plain(new byte[0]));
    assertThat(answer.status()).isEqualTo("3");
    assertThat(answer.message()).isEqualTo("the message is not a valid grpc.health.v1.HealthCheckRequest in JSON:"
      + " the message is empty, where JSON has {} for a message with every field at its default");
  }

  /** protobuf's parser took a number, true or an array for a string field (JsonFieldKinds). */
  @Test
  void aMessageInJsonWithAValueOfTheWrongKindIsRefusedNamingTheField() {
    for (String service : List.of("5", "true", "[\"x\"]")) {
      Answer answer = exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(CHECK)
        .putHeader("content-type", "application/grpc+json").putHeader("te", "trailers"),
        plain(("{\"service\": " + service + "}").getBytes()));
      assertThat(answer.status()).as(service).isEqualTo("3");
      assertThat(answer.message()).as(service)
        .isEqualTo("the message is not a valid grpc.health.v1.HealthCheckRequest in JSON: service must be a string");
    }
  }

  record Answer(HttpClientResponse response, Buffer body) {

    /** grpc-status, from the head when the answer is trailers only, else from the trailers. */
    String status() {
      String head = response.getHeader("grpc-status");
      return head != null ? head : response.getTrailer("grpc-status");
    }

    String message() {
      String head = response.getHeader("grpc-message");
      return head != null ? head : response.getTrailer("grpc-message");
    }
  }

  private Answer call(String encoding, Buffer body) {
    return call(encoding, body, null);
  }

  private Answer call(String encoding, Buffer body, String timeout) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(CHECK)
      .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    if (encoding != null) {
      options.putHeader("grpc-encoding", encoding);
    }
    if (timeout != null) {
      options.putHeader("grpc-timeout", timeout);
    }
    return exchange(options, body);
  }

  /** A whole exchange, run on an event loop ({@link Await#onEventLoop}). */
  private Answer exchange(RequestOptions options, Buffer body) {
    return Await.onEventLoop(vertx, () -> http.request(options).compose(request -> request.send(body))
      .compose(response -> response.body().map(received -> new Answer(response, received))));
  }

  private static byte[] check(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build().toByteArray();
  }

  private static Buffer plain(byte[] message) {
    return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
  }

  private static Buffer compressed(byte[] message) {
    return Buffer.buffer().appendByte((byte) 1).appendInt(message.length).appendBytes(message);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
