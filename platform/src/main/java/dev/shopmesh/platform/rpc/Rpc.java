package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.db.DatabaseOutage;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.trace.Trace;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.impl.GrpcWriteStreamBase;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one mapping between failures and gRPC statuses, both ways: what a server answers for a
 * failure, and what status a failed outgoing call had.
 */
public final class Rpc {

  private Rpc() {
  }

  /**
   * What a server handler answers: its result, or its failure as a status with a message meant for
   * the client. A failure the client sees is logged here, once, with its cause; an unexpected one
   * becomes INTERNAL without its details.
   */
  public static <T> Future<T> reply(Logger log, String method, Future<T> result) {
    GrpcLocal call = GrpcLocal.current();
    // Taken now: the result may complete on another request's context (a read several share).
    Trace.Served served = Trace.serving();
    return result.transform(done -> {
      Future<T> answer = done.succeeded() ? Future.succeededFuture(done.result())
        : Future.failedFuture(logged(log, method, done.cause(), served));
      // Past the deadline Vert.x has already answered DEADLINE_EXCEEDED and closed the stream; the
      // generated service would still write this answer to it, and Vert.x 5.0.7 logs that write as an
      // unhandled IllegalStateException with its stack. The caller has its answer: send none.
      return call != null && !Instant.now().isBefore(call.deadline()) ? Promise.<T>promise().future() : answer;
    });
  }

  private static StatusException logged(Logger log, String method, Throwable err, Trace.Served served) {
    StatusException status = toStatus(err);
    // A client's malformed call is no bug of ours: logged with a stack, it read as one.
    Level level = err instanceof Failure f && f.kind() == Failure.Kind.PROTOCOL_ERROR ? Level.INFO : severity(status.status());
    log.log(level, method + " failed: " + status.status().name() + " " + status.message() + cause(level, err),
      level == Level.SEVERE ? err : null);
    Trace.nameInFailedAnswer(served);
    return status;
  }

  /**
   * An outage's cause for the operator, to add to the log line (the client's message leaves it out):
   * the failure itself when it says nothing to clients, or what a {@link Failure} was caused by. A
   * bug's cause is in its stack instead.
   */
  public static String cause(Level level, Throwable err) {
    if (level != Level.WARNING) {
      return "";
    }
    Throwable cause = err instanceof StatusException || err instanceof Failure ? err.getCause() : err;
    return cause == null ? "" : " (" + cause + ")";
  }

  /**
   * How loud a failure a client sees is logged: the caller's own mistakes and business outcomes
   * (bad input, unknown ids, short stock, key conflicts, a key still in use, a message over the
   * size limit, a page of another site refused: any page on the web could fill the log) at INFO; outages, and what this server does not do (an unknown compression, or a
   * method a replica of another version lacks), at WARNING; our bugs at SEVERE with their stack.
   */
  public static Level severity(GrpcStatus status) {
    return switch (status) {
      case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, CANCELLED,
        RESOURCE_EXHAUSTED, PERMISSION_DENIED -> Level.INFO;
      case INTERNAL, UNKNOWN, DATA_LOSS -> Level.SEVERE;
      default -> Level.WARNING;
    };
  }

  /** The rows a {@link #streamPages} handler reads from its table at a time. */
  public static final int STREAM_PAGE = 500;

  /**
   * A server-streaming answer read from a table a page at a time, in the table's key order:
   * {@code after} fetches the page that follows an item (null: the first page), at most
   * {@code pageSize} items; a shorter page is the last. The next page is fetched only once the last
   * one has left, when the response's write queue is no longer full: a caller that reads slowly,
   * or pauses, holds the server back through HTTP/2's flow control, so a table of any size costs
   * its server one page or two of memory. Nothing more once the caller has gone away.
   */
  public static <T> void streamPages(Logger log, String method, Function<T, Future<List<T>>> after, int pageSize,
                                     WriteStream<T> response) {
    CallerGone caller = CallerGone.watch(response, () -> { });
    new Pages<>(log, method, after, pageSize, response, caller).fetchAfter(null);
  }

  private record Pages<T>(Logger log, String method, Function<T, Future<List<T>>> after, int pageSize,
                          WriteStream<T> response, CallerGone caller) {

    void fetchAfter(T last) {
      after.apply(last).onComplete(page -> {
        if (caller.gone()) {
          return;
        }
        page.forEach(response::write);
        if (page.size() < pageSize) {
          response.end();
        } else if (response.writeQueueFull()) {
          response.drainHandler(drained -> {
            response.drainHandler(null);
            fetchAfter(page.get(page.size() - 1));
          });
        } else {
          fetchAfter(page.get(page.size() - 1));
        }
      }, err -> {
        if (!caller.gone()) {
          fail(log, method, response, err);
        }
      });
    }
  }

  /**
   * Ends a streaming response with the status of {@code err}, logged as {@link #reply} does; the
   * returned future completes once the status is written.
   */
  public static Future<Void> fail(Logger log, String method, WriteStream<?> response, Throwable err) {
    return reply(log, method, Future.<Void>failedFuture(err)).recover(failed -> {
      GrpcServerResponse<?, ?> grpc = (GrpcServerResponse<?, ?>) response;
      StatusException status = (StatusException) failed;
      // Set first, as the gRPC spec encodes it (GrpcMessages): vertx-grpc keeps a grpc-message it
      // finds. In the head when nothing was sent yet (the answer is trailers only), else in the trailers.
      if (status.message() != null) {
        MultiMap carrier = ((GrpcWriteStreamBase<?, ?>) response).isHeadersSent() ? grpc.trailers() : grpc.headers();
        carrier.set(GrpcHeaderNames.GRPC_MESSAGE, GrpcMessages.encode(status.message()));
      }
      // What GrpcServerResponse.fail does, its end's future kept.
      return grpc.status(status.status()).statusMessage(status.message()).end();
    });
  }

  /**
   * How a call's response stream ended: null for OK, else its status and message. Vert.x 5.0.7
   * calls a response's end handler whatever the status, so a stream that sent messages and then
   * failed ends as one that succeeded unless its reader asks; and its {@code statusMessage()}
   * reads only the headers, where a failure answered before any message puts it, not the
   * trailers, where a failure after messages has it.
   */
  public static StatusException endStatus(GrpcClientResponse<?, ?> response) {
    GrpcStatus status = response.status();
    if (status == null || status == GrpcStatus.OK) {
      return null;
    }
    String message = response.statusMessage();
    if (message == null) {
      String trailer = response.trailers().get(GrpcHeaderNames.GRPC_MESSAGE);
      message = trailer == null ? "" : QueryStringDecoder.decodeComponent(trailer, StandardCharsets.UTF_8);
    }
    return new StatusException(status, message);
  }

  /**
   * The status (and client-facing message) that a failure stands for. A message is cut to
   * {@link #MAX_MESSAGE_CHARS}: messages quote what the caller sent, and a quoted 9,000-character
   * id would overflow the caller's 8 KiB HTTP/2 header limit as {@code grpc-message}, turning a
   * bad request into a reset stream (INTERNAL, counted against the service's circuit).
   */
  public static StatusException toStatus(Throwable err) {
    if (err instanceof StatusException se) {
      // A status without a message (Vert.x's own DEADLINE_EXCEEDED has none) gets its generic one.
      return se.message() == null || se.message().isEmpty() ? new StatusException(se.status(), generic(se.status(), err))
        : se.message().length() <= MAX_MESSAGE_CHARS ? se : new StatusException(se.status(), bounded(se.message()));
    }
    if (err instanceof Failure f) {
      return new StatusException(statusOf(f.kind()), bounded(f.getMessage()));
    }
    GrpcStatus status = statusOf(err);
    return new StatusException(status == GrpcStatus.UNKNOWN ? GrpcStatus.INTERNAL : status, generic(status, err));
  }

  /** What a client is told of a failure that says nothing itself: its status, in words. */
  private static String generic(GrpcStatus status, Throwable err) {
    return switch (status) {
      // No connection free in time is a database busy as often as one gone: said so, where "the
      // database is unavailable" alone sent a reader under a burst of reads looking for an outage.
      case UNAVAILABLE -> !DatabaseOutage.is(err) ? "a dependency is unavailable"
        : noConnectionInTime(err) ? "the database is unavailable: no connection to it came free in time (busy, or not answering)"
        : DatabaseOutage.isLockWait(err) ? DatabaseOutage.LOCK_WAIT
        : DatabaseOutage.isStatementTimeout(err) ? DatabaseOutage.STATEMENT_TIMEOUT
        : "the database is unavailable";
      case ABORTED -> DatabaseOutage.isConflict(err) ? "the database rolled the request back for a conflict with another;"
        + " send it again" : "aborted";
      case DEADLINE_EXCEEDED -> "deadline exceeded";
      case CANCELLED -> "cancelled";
      case RESOURCE_EXHAUSTED -> err instanceof MessageSizeOverflowException overflow
        ? "an answer of " + overflow.messageSize() + " bytes is over the message size limit (SHOPMESH_MAX_MESSAGE_BYTES)"
        : "resource exhausted";
      case INTERNAL, UNKNOWN, DATA_LOSS -> "internal error";
      default -> status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  private static boolean noConnectionInTime(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (DatabaseOutage.noConnectionInTime(e)) {
        return true;
      }
    }
    return false;
  }

  /** Longest status message sent: percent-encoded, even one of 3-byte characters stays under 8 KiB. */
  static final int MAX_MESSAGE_CHARS = 500;

  private static String bounded(String message) {
    return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
  }

  /** The gRPC status of any failure, including transport failures of outgoing calls. */
  public static GrpcStatus statusOf(Throwable err) {
    if (err instanceof StatusException se) {
      return se.status();
    } else if (err instanceof Failure f) {
      return statusOf(f.kind());
    } else if (err instanceof InvalidStatusException ise) {
      return ise.actualStatus();
    } else if (err instanceof GrpcErrorException gee) {
      return gee.status();
    } else if (err instanceof TimeoutException) {
      return GrpcStatus.DEADLINE_EXCEEDED;
    } else if (err instanceof CancellationException) {
      // Work the handler waited on was cancelled (a timer or promise, as Vert.x closes): not our bug.
      return GrpcStatus.CANCELLED;
    } else if (err instanceof IOException || err instanceof StreamResetException || err instanceof HttpClosedException
      || isStreamRefused(err) || isNoReplica(err) || isClosedConnection(err) || DatabaseOutage.is(err)) {
      // Refused, reset or closed connections (a replica that died mid-call, the database) included.
      return GrpcStatus.UNAVAILABLE;
    } else if (err instanceof MessageSizeOverflowException) {
      // An answer over SHOPMESH_MAX_MESSAGE_BYTES, read by this side's client.
      return GrpcStatus.RESOURCE_EXHAUSTED;
    } else if (DatabaseOutage.isConflict(err)) {
      return GrpcStatus.ABORTED;
    }
    return GrpcStatus.UNKNOWN;
  }

  static GrpcStatus statusOf(Failure.Kind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> GrpcStatus.INVALID_ARGUMENT;
      case NOT_FOUND -> GrpcStatus.NOT_FOUND;
      case ALREADY_EXISTS -> GrpcStatus.ALREADY_EXISTS;
      case ABORTED -> GrpcStatus.ABORTED;
      case FAILED_PRECONDITION -> GrpcStatus.FAILED_PRECONDITION;
      case UNAVAILABLE -> GrpcStatus.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> GrpcStatus.DEADLINE_EXCEEDED;
      case INTERNAL, PROTOCOL_ERROR -> GrpcStatus.INTERNAL;
    };
  }

  /**
   * Netty refusing a stream: on a connection its replica's kill -9 just closed ("Attempted to create
   * stream id … after connection was closed": a 500, never retried), or REFUSED_STREAM. Its other
   * HTTP/2 errors (a header list over the limit) are no outage, and a retry would meet them again.
   */
  private static boolean isStreamRefused(Throwable err) {
    return err instanceof Http2Exception h2 && (h2.error() == Http2Error.REFUSED_STREAM
      || String.valueOf(h2.getMessage()).contains("after connection was closed"));
  }

  /** Vert.x reports a connection lost under a call as a plain VertxException. */
  private static boolean isClosedConnection(Throwable err) {
    String message = err.getMessage();
    return err instanceof io.vertx.core.VertxException && message != null
      && (message.contains("Connection was closed") || message.contains("Connection reset"));
  }

  /** Vert.x's endpoint resolver fails this way when a service has no replica registered. */
  static boolean isNoReplica(Throwable err) {
    String message = err.getMessage();
    return message != null && (message.startsWith("Cannot resolve address") || message.contains("No results"));
  }
}
