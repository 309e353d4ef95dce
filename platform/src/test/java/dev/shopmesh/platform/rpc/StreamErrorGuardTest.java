package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that cancels one stream must not cost its other calls on the same connection. A stream
 * reset while its answer's last frames were still waiting to go out (written, not yet flushed, or
 * waiting for flow-control window: a relay whose own caller left) made a Vert.x 5.0.7 server close
 * the whole connection, failing every other call on it.
 */
@ExtendWith(VertxExtension.class)
class StreamErrorGuardTest {

  static final ServiceMethod<HealthCheckRequest, HealthCheckRequest> ANSWER = ServiceMethod.server(ServiceName.create("test.Streams"), "Answer",
    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));

  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int GOAWAY = 0x7;

  @Test
  void aStreamResetAsItIsAnsweredLeavesTheConnectionToTheOtherCalls(Vertx vertx) {
    GrpcServer grpc = GrpcServer.server(vertx).callHandler(ANSWER, req -> req.handler(ask -> {
      req.response().write(HealthCheckRequest.newBuilder().setService("answer").build());
      req.response().end();
    }));
    EventLoopServers server = Await.result(EventLoopServers.listen(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0), grpc, 1, 0));
    NetSocket socket = Await.result(vertx.createNetClient().connect(server.port(), "127.0.0.1"));
    Buffer received = Buffer.buffer();
    Promise<List<String>> framesOnStream3 = Promise.promise();
    socket.closeHandler(v -> framesOnStream3.tryComplete(List.of("connection closed")));
    socket.handler(bytes -> {
      received.appendBuffer(bytes);
      List<String> frames = frames(received, 3);
      if (frames.contains("HEADERS")) {
        framesOnStream3.tryComplete(frames);
      }
    });

    // In one write, so that the server reads the reset of stream 1 in the same pass as its request,
    // before the answer it wrote meanwhile went out: then stream 3, another call on the connection.
    socket.write(Buffer.buffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
      .appendBuffer(frame(0x4, 0, 0, Buffer.buffer()))
      .appendBuffer(call(1))
      .appendBuffer(frame(RST_STREAM, 0, 1, Buffer.buffer().appendInt(0x8)))
      .appendBuffer(call(3)));

    assertThat(Await.result(framesOnStream3.future())).contains("HEADERS").doesNotContain("GOAWAY", "connection closed");
    Await.result(socket.close());
  }

  /** A gRPC call to {@link #ANSWER} on {@code stream}: its headers, then its one (empty) message. */
  static Buffer call(int stream) {
    Buffer headers = Buffer.buffer();
    for (String[] header : new String[][] {{":method", "POST"}, {":scheme", "http"}, {":path", "/test.Streams/Answer"},
      {":authority", "127.0.0.1"}, {"content-type", "application/grpc"}, {"te", "trailers"}}) {
      // HPACK: a literal field, not indexed, with a new name; every length here under 127.
      headers.appendByte((byte) 0).appendByte((byte) header[0].length()).appendString(header[0])
        .appendByte((byte) header[1].length()).appendString(header[1]);
    }
    return frame(HEADERS, 0x4, stream, headers).appendBuffer(frame(0x0, 0x1, stream, Buffer.buffer(new byte[5])));
  }

  static Buffer frame(int type, int flags, int stream, Buffer payload) {
    return Buffer.buffer().appendMedium(payload.length()).appendByte((byte) type).appendByte((byte) flags).appendInt(stream)
      .appendBuffer(payload);
  }

  /** The types of the whole frames in {@code bytes} on {@code stream}, and any GOAWAY. */
  static List<String> frames(Buffer bytes, int stream) {
    List<String> types = new ArrayList<>();
    for (int at = 0; at + 9 <= bytes.length(); ) {
      int length = bytes.getMedium(at);
      int type = bytes.getByte(at + 3);
      int id = bytes.getInt(at + 5) & 0x7fffffff;
      if (at + 9 + length > bytes.length()) {
        break;
      }
      if (type == GOAWAY) {
        types.add("GOAWAY " + bytes.getBuffer(at + 17, at + 9 + length).toString(StandardCharsets.UTF_8));
      } else if (id == stream) {
        types.add(type == HEADERS ? "HEADERS" : "type " + type);
      }
      at += 9 + length;
    }
    return types;
  }
}
