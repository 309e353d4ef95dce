package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.json.StrictJson;
import com.google.protobuf.Descriptors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Timer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.common.impl.GrpcWriteStreamBase;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads the messages of the calls a {@link MeshServer} serves, in place of vertx-grpc 5.0.7, which
 * <ul>
 *   <li>inflates a gzip-compressed message without a limit: one 600 KB SayHello, under the 4 MiB
 *   limit, inflating to 600 MB ran the gateway out of heap on its event loop;</li>
 *   <li>answers a message it cannot parse by resetting the stream: the client saw CANCELLED, as if it
 *   had cancelled the call itself, and nothing was logged;</li>
 *   <li>answers a message over the size limit RESOURCE_EXHAUSTED, without saying why;</li>
 *   <li>reads a {@code grpc-timeout} under a millisecond, or one it cannot parse, as no deadline;</li>
 *   <li>hands a unary method each message as it comes: a call that sent two ran the method twice
 *   (two orders placed, two cards charged) and answered the first; one that sent none, or half a
 *   message, was never answered.</li>
 * </ul>
 * Here an inflated message has the same limit as one sent as it is; a method that takes one
 * message gets it once the caller has finished sending, as in grpc-java, and only if it was exactly
 * one; and each refusal gets its status with a message saying what was wrong, logged once. A call
 * that streams its messages in then ends: its handler learns it as a reset one ({@link CallerGone}),
 * as it does when the call's deadline passes.
 */
final class InboundMessages {

  /** The one compression this server reads (and what it answers an unknown one with). */
  static final String GZIP = "gzip";

  /**
   * The {@code grpc-encoding} of a call that names no compression: none, or {@code identity}.
   * vertx-grpc 5.0.7 throws on a message flagged compressed in a call naming none (logging an ERROR
   * with its stack) and never answers it, and reads one in a call naming {@code identity} as if it
   * were not compressed; named so, the message reaches {@link CheckedRequest#decode}, which refuses
   * it as the spec says. A message not flagged compressed is read as such whatever the call names.
   */
  static final String UNNAMED = "unnamed";

  /** Names the encoding of a call that names no compression ({@link #UNNAMED}); before vertx-grpc reads the call. */
  static void nameEncoding(HttpServerRequest request) {
    MultiMap headers = request.headers();
    String named = headers.get(GrpcHeaderNames.GRPC_ENCODING);
    if (named == null || named.equals("identity")) {
      headers.set(GrpcHeaderNames.GRPC_ENCODING, UNNAMED);
    }
  }

  /** A Java class name at the start of a message, as an exception's toString() writes it. */
  private static final Pattern CLASS_NAME = Pattern.compile("^(?:[a-z]\\w*\\.)+[A-Z][\\w$]*: ");

  /** A {@code grpc-timeout} as the gRPC spec writes it. */
  private static final Pattern TIMEOUT = Pattern.compile("\\d{1,8}[HMSmun]");

  private InboundMessages() {
  }

  /** {@code service}, its calls' messages read as above, each at most {@code maxBytes} once inflated. */
  static Service checked(Service service, long maxBytes, Logger log) {
    return ServiceBinder.wrap(service, server -> new Binder(server, service, maxBytes, log));
  }

  /** What a service binds its methods to: the server, each call's request checked. */
  private record Binder(GrpcServer server, Service service, long maxBytes, Logger log) implements ServiceBinder {

    @Override
    public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
      Descriptors.MethodDescriptor descriptor = service.methodDescriptor(method.methodName()).orElseThrow();
      Descriptors.Descriptor type = descriptor.getInputType();
      boolean oneMessage = !descriptor.isClientStreaming();
      server.callHandler(method, request -> handler.handle(new CheckedRequest<>(request, method.decoder(), type, oneMessage, maxBytes, log)));
      return this;
    }
  }

  /** A call's request whose messages are inflated, checked and decoded here. */
  private static final class CheckedRequest<Req, Resp> implements GrpcServerRequest<Req, Resp> {

    private final GrpcServerRequest<Req, Resp> request;
    private final GrpcMessageDecoder<Req> decoder;
    private final Descriptors.Descriptor type;
    private final boolean oneMessage;
    private final long maxBytes;
    private final Logger log;
    private boolean failed;
    /** One-message methods: the handler, the message held for it until the end, the end handler. */
    private Handler<Req> handler;
    private Req held;
    private Handler<Void> endHandler;
    /** One-message methods: whether the caller has finished sending, and a refusal waiting for that. */
    private boolean callerDone;
    private RuntimeException refusal;

    CheckedRequest(GrpcServerRequest<Req, Resp> request, GrpcMessageDecoder<Req> decoder, Descriptors.Descriptor type, boolean oneMessage,
                   long maxBytes, Logger log) {
      this.request = request;
      this.decoder = decoder;
      this.type = type;
      this.oneMessage = oneMessage;
      this.maxBytes = maxBytes;
      this.log = log;
      request.invalidMessageHandler(this::invalid);
      String timeout = request.headers().get("grpc-timeout");
      if (timeout != null && request.timeout() <= 0) {
        // Vert.x reads a deadline under a millisecond ("500u", which grpc-java sends as a deadline
        // runs out), or one it cannot parse, as no deadline at all: the call ran unbounded.
        fail(TIMEOUT.matcher(timeout).matches() ? new StatusException(GrpcStatus.DEADLINE_EXCEEDED, "deadline exceeded")
          : Failure.invalid("grpc-timeout '" + timeout + "' is not a timeout: 1 to 8 digits, then H, M, S, m, u or n"));
      }
      Timer deadline = request.deadline();
      if (deadline != null) {
        // Vert.x answers DEADLINE_EXCEEDED once a call's deadline passes, but tells its handler
        // nothing: a stream's handler went on following orders or relaying, and its next write to
        // the ended stream logged an ERROR. It is told as for a caller gone (CallerGone).
        deadline.onSuccess(v -> ((GrpcWriteStreamBase<?, ?>) request.response()).handleError(GrpcError.CANCELLED));
      }
      if (oneMessage) {
        request.endHandler(v -> ended());
      }
    }

    @Override
    public CheckedRequest<Req, Resp> handler(Handler<Req> handler) {
      this.handler = handler;
      request.messageHandler(handler == null ? null : message -> {
        if (failed) {
          return;
        }
        Req decoded;
        try {
          decoded = decode(message);
        } catch (StatusException | Failure e) {
          fail(e);
          return;
        }
        if (!oneMessage) {
          deliver(decoded);
        } else if (held == null) {
          held = decoded;
        } else {
          fail(Failure.invalid(request.methodName() + " takes one request message; this call sent more"));
        }
      });
      return this;
    }

    /** The end of a one-message call: its message, then the end, or why there is none. */
    private void ended() {
      callerDone = true;
      if (failed) {
        if (refusal != null) {
          answer(refusal);
        }
        return;
      }
      if (held == null) {
        fail(Failure.invalid(request.methodName() + " takes one request message; this call ended without a whole one"));
        return;
      }
      deliver(held);
      if (endHandler != null && !failed) {
        endHandler.handle(null);
      }
    }

    private void deliver(Req message) {
      try {
        handler.handle(message);
      } catch (RuntimeException e) {
        // As vertx-grpc does: a handler that throws fails its call (INTERNAL, logged with its stack).
        fail(e);
      }
    }

    private Req decode(GrpcMessage message) {
      Buffer payload = switch (message.encoding()) {
        case "identity" -> message.payload();
        case GZIP -> inflate(message.payload());
        case UNNAMED -> throw new Failure(Failure.Kind.PROTOCOL_ERROR,
          "a message flagged compressed, in a call whose grpc-encoding names no compression");
        default -> {
          request.response().headers().set("grpc-accept-encoding", GZIP);
          throw new StatusException(GrpcStatus.UNIMPLEMENTED,
            "grpc-encoding '" + message.encoding() + "' is not supported; this server reads " + GZIP);
        }
      };
      // The call's format, from its content type: vertx-grpc 5.0.7 flags each message of a gRPC-Web
      // text call protobuf, so a text call with JSON messages was refused as "not a valid" message.
      WireFormat format = request.format();
      if (format == WireFormat.JSON) {
        strictJson(payload);
      }
      try {
        return decoder.decode(GrpcMessage.message("identity", format, payload));
      } catch (CodecException e) {
        Throwable reason = e.getCause() == null ? e : e.getCause();
        throw Failure.invalid("the message is not a valid " + type.getFullName() + (format == WireFormat.JSON ? " in JSON" : "")
          + ": " + withoutClassName(reason.getMessage()));
      }
    }

    /**
     * protobuf's JSON parser is Gson's, lenient: it read {"name":nul} as the text "nul", took single
     * quotes, ignored what followed the object, kept the last of a field sent twice, and took any
     * kind of value for a field ({@link JsonFieldKinds}). Read strictly first, as the HTTP API reads JSON.
     */
    private void strictJson(Buffer payload) {
      String problem;
      try {
        // Protobuf's binary form of a message with every field at its default is empty; JSON's is {}.
        // The parser said only "Unexpected end-of-input".
        problem = payload.length() == 0 ? "the message is empty, where JSON has {} for a message with every field at its default"
          : JsonFieldKinds.problem(StrictJson.decode(payload), type);
      } catch (StrictJson.Invalid e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        throw Failure.invalid("the message is not a valid " + type.getFullName() + " in JSON: " + problem);
      }
    }

    /** A parser's words without the class name some put first ("java.io.EOFException: End of input…"). */
    private static String withoutClassName(String message) {
      return message == null ? "" : CLASS_NAME.matcher(message).replaceFirst("");
    }

    /** The inflated message, read no further than one byte past the limit. */
    private Buffer inflate(Buffer compressed) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.getBytes()))) {
        byte[] inflated = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (inflated.length > maxBytes) {
          throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
            "the message inflates to more than the " + maxBytes + "-byte limit");
        }
        return Buffer.buffer(inflated);
      } catch (IOException e) {
        // A gzip stream cut short says nothing (an EOFException without a message): "…: null".
        throw Failure.invalid("the message is not valid gzip: " + (e.getMessage() != null ? e.getMessage()
          : e instanceof EOFException ? "it ends before its end" : e.getClass().getSimpleName()));
      }
    }

    private void invalid(InvalidMessageException e) {
      if (e instanceof MessageSizeOverflowException overflow) {
        fail(new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
          "a message of " + overflow.messageSize() + " bytes is over the " + maxBytes + "-byte limit"));
      } else {
        fail(Failure.invalid("the message is invalid: " + e.getMessage()));
      }
    }

    /**
     * Refuses the call. A one-message call is answered once its caller has finished sending, as
     * its result would be: answered while the caller was still sending, the answer raced the rest
     * of the request, and a Vert.x client sometimes never read it. A call streaming its messages in
     * is answered at once, then reset, so that its handler stops as for a caller gone.
     */
    private void fail(RuntimeException failure) {
      if (failed) {
        return;
      }
      failed = true;
      if (oneMessage && !callerDone) {
        refusal = failure;
      } else {
        answer(failure);
      }
    }

    /**
     * Answers the call with {@code failure}. A streaming call's handler is told at once, as for a
     * caller gone ({@link CallerGone}): vertx-grpc's cancel did not tell it when the request had
     * failed, and a relay kept its downstream stream open for good, writing to the closed one. The
     * reset that stops the caller sending follows the status once written: sent at once, it
     * overtook the status, and the caller read its own cancel.
     */
    private void answer(RuntimeException failure) {
      GrpcWriteStreamBase<?, ?> response = (GrpcWriteStreamBase<?, ?>) request.response();
      if (response.isTrailersSent() || response.isCancelled()) {
        return;
      }
      Future<Void> written = Rpc.fail(log, request.methodName(), request.response(), failure);
      if (!oneMessage) {
        response.handleError(GrpcError.CANCELLED);
        written.onComplete(done -> request.response().cancel());
      }
    }

    @Override
    public ServiceName serviceName() {
      return request.serviceName();
    }

    @Override
    public String methodName() {
      return request.methodName();
    }

    @Override
    public String fullMethodName() {
      return request.fullMethodName();
    }

    @Override
    public GrpcServerResponse<Req, Resp> response() {
      return request.response();
    }

    @Override
    public MultiMap headers() {
      return request.headers();
    }

    @Override
    public String encoding() {
      return request.encoding();
    }

    @Override
    public WireFormat format() {
      return request.format();
    }

    @Override
    public CheckedRequest<Req, Resp> messageHandler(Handler<GrpcMessage> handler) {
      request.messageHandler(handler);
      return this;
    }

    @Override
    public CheckedRequest<Req, Resp> invalidMessageHandler(Handler<InvalidMessageException> handler) {
      request.invalidMessageHandler(handler);
      return this;
    }

    @Override
    public CheckedRequest<Req, Resp> errorHandler(Handler<GrpcError> handler) {
      request.errorHandler(handler);
      return this;
    }

    /** Not after a refused message: the call is answered, and the handler learns it as a reset. */
    @Override
    public CheckedRequest<Req, Resp> exceptionHandler(Handler<Throwable> handler) {
      request.exceptionHandler(handler == null ? null : err -> {
        if (!failed) {
          handler.handle(err);
        }
      });
      return this;
    }

    @Override
    public CheckedRequest<Req, Resp> pause() {
      request.pause();
      return this;
    }

    @Override
    public CheckedRequest<Req, Resp> resume() {
      request.resume();
      return this;
    }

    @Override
    public CheckedRequest<Req, Resp> fetch(long amount) {
      request.fetch(amount);
      return this;
    }

    /** Not after a refused message: what came before it is not the whole stream. */
    @Override
    public CheckedRequest<Req, Resp> endHandler(Handler<Void> handler) {
      if (oneMessage) {
        endHandler = handler;
      } else {
        request.endHandler(handler == null ? null : v -> {
          if (!failed) {
            handler.handle(v);
          }
        });
      }
      return this;
    }

    /** Not offered: Vert.x would decode the last message itself, inflating it without a limit. */
    @Override
    public Future<Req> last() {
      throw new UnsupportedOperationException("read messages with handler()");
    }

    @Override
    public Future<Void> end() {
      return request.end();
    }

    @Override
    public HttpConnection connection() {
      return request.connection();
    }

    @Override
    public long timeout() {
      return request.timeout();
    }

    @Override
    public Timer deadline() {
      return request.deadline();
    }
  }
}
