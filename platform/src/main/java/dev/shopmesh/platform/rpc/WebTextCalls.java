package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.base64.Base64;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

import java.util.logging.Logger;

/**
 * gRPC-Web's text mode ({@code application/grpc-web-text}: the call's one message base64-encoded,
 * as grpc-web's generated clients send it by default), read whole and checked before vertx-grpc
 * reads it. vertx-grpc 5.0.7 decodes the text only when the request ends, ignoring the message's
 * length prefix, and threw there on a body that is not base64, is empty or is shorter than the
 * prefix: the call was never answered, and its HTTP/1.1 connection stayed stuck behind it. Over
 * HTTP/2 it read the text as binary frames ("a message of 1094795585 bytes is over the limit").
 * Here such a call is answered INVALID_ARGUMENT saying what is wrong with its body, and a good one
 * is handed on as it came, over either HTTP version.
 */
final class WebTextCalls implements Handler<HttpServerRequest> {

  /** The content type of the answer, as vertx-grpc answers text mode. */
  static final String TEXT = "application/grpc-web-text";

  private final Handler<HttpServerRequest> calls;
  private final long maxBytes;
  private final Logger log;

  /** {@code calls}, handed each text-mode call whose body (at most {@code maxBytes}, as vertx-grpc reads it) is one message. */
  WebTextCalls(Handler<HttpServerRequest> calls, long maxBytes, Logger log) {
    this.calls = calls;
    this.maxBytes = maxBytes;
    this.log = log;
  }

  static boolean isText(String contentType) {
    return contentType.startsWith(TEXT);
  }

  @Override
  public void handle(HttpServerRequest request) {
    Buffer body = Buffer.buffer();
    long[] received = {0};
    request.handler(chunk -> {
      received[0] += chunk.length();
      if (received[0] <= maxBytes) {
        body.appendBuffer(chunk);
      }
    });
    // A caller gone before the end (a reset, a closed connection) has nothing to be answered.
    request.exceptionHandler(gone -> { });
    request.endHandler(end -> {
      RuntimeException refusal = received[0] > maxBytes
        ? new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "a message's base64 text of " + received[0]
          + " bytes is over the " + maxBytes + "-byte limit")
        : problem(body);
      if (refusal == null) {
        calls.handle(new ReadRequest((HttpServerRequestInternal) request, body));
      } else {
        refuse(request, refusal);
      }
    });
  }

  /** Why {@code body} is not one base64-encoded message, as vertx-grpc takes it; null when it is. */
  static Failure problem(Buffer body) {
    if (body.length() == 0) {
      return Failure.invalid("the call sent no message: a gRPC-Web text call's body is its message, base64-encoded");
    }
    ByteBuf decoded;
    try {
      // The decoder vertx-grpc uses, so that what passes here is what it reads.
      decoded = Base64.decode(((BufferInternal) body).getByteBuf().duplicate());
    } catch (IllegalArgumentException e) {
      return Failure.invalid("the body is not base64, as a gRPC-Web text call's is: " + e.getMessage());
    }
    try {
      if (decoded.readableBytes() < 5) {
        return Failure.invalid("the body decodes to " + decoded.readableBytes() + " bytes, short of a message's 5-byte prefix");
      }
      if (decoded.getByte(0) != 0) {
        return Failure.invalid("the message is flagged compressed: gRPC-Web text is read uncompressed here");
      }
      long declared = decoded.getUnsignedInt(1);
      int sent = decoded.readableBytes() - 5;
      // vertx-grpc reads all that follows the prefix as the message: two messages would have been
      // read as one, their fields merged.
      return declared == sent ? null : Failure.invalid("the message's prefix gives it " + declared
        + " bytes, and the body holds " + sent + " after the prefix: a gRPC-Web text call sends one whole message");
    } finally {
      decoded.release();
    }
  }

  /** Answers the call with {@code refusal}'s status alone (trailers only, in the head), logged once. */
  private void refuse(HttpServerRequest request, RuntimeException refusal) {
    String path = request.path();
    Rpc.reply(log, path.substring(path.lastIndexOf('/') + 1), Future.failedFuture(refusal)).onFailure(failed -> {
      StatusException status = (StatusException) failed;
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
        .putHeader(GrpcHeaderNames.GRPC_STATUS, Integer.toString(status.status().code))
        .putHeader(GrpcHeaderNames.GRPC_MESSAGE, GrpcMessages.encode(status.message()))
        .end();
    });
  }

  /**
   * The call with its body read already, handed to vertx-grpc as if it were arriving, and as over
   * HTTP/1.1: vertx-grpc decodes text mode only then, and reads nothing else of the version
   * ({@link UnaryAnswers} does, so a text call's answer over HTTP/2 is not held for one write).
   */
  private static final class ReadRequest extends HttpServerRequestWrapper {

    private final Buffer body;
    private Handler<Buffer> handler;

    ReadRequest(HttpServerRequestInternal request, Buffer body) {
      super(request);
      this.body = body;
    }

    @Override
    public HttpVersion version() {
      return HttpVersion.HTTP_1_1;
    }

    @Override
    public HttpServerRequest handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    /** vertx-grpc sets this once it reads the call: the body follows, then the end, as from the network. */
    @Override
    public HttpServerRequest endHandler(Handler<Void> endHandler) {
      if (endHandler != null) {
        context().runOnContext(v -> {
          if (handler != null) {
            handler.handle(body);
          }
          endHandler.handle(null);
        });
      }
      return this;
    }

    // The whole body is here: there is nothing to pause.
    @Override
    public HttpServerRequest pause() {
      return this;
    }

    @Override
    public HttpServerRequest resume() {
      return this;
    }

    @Override
    public HttpServerRequest fetch(long amount) {
      return this;
    }
  }
}
