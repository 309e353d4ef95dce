package dev.shopmesh.gateway.http;

import dev.shopmesh.gateway.grpc.Relay;
import dev.shopmesh.platform.rpc.CallerGone;
import dev.shopmesh.platform.rpc.Rpc;
import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.RoutingContext;
import io.vertx.grpc.server.StatusException;

import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A 200 answer that is a JSON array, written as its items come from a relayed stream
 * ({@link Relay.Caller}): the gateway holds a few kilobytes of it, not the whole array, and a client
 * that reads slowly holds the stream back (a catalog of 20,000 products was read whole into memory
 * for each {@code GET /api/products}); an HTTP/1.0 client, which has no chunks, gets it whole. A
 * failure before anything was sent is answered as any failure is ({@link HttpErrors}); after, the
 * answer is cut short, its connection (HTTP/1.1) or stream (HTTP/2) reset, so that no client takes
 * a part of the array for all of it. A HEAD request
 * is answered its headers, without a length, once the stream has ended well.
 */
final class JsonArrayAnswer<T> implements WriteStream<T> {

  /** Items are sent in pieces of about this many bytes, rather than one write each. */
  static final int PIECE_BYTES = 16 * 1024;

  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final Logger log;
  private final Function<T, JsonObject> toJson;
  private final boolean head;
  private Buffer piece = Buffer.buffer(PIECE_BYTES);
  private boolean first = true;

  JsonArrayAnswer(RoutingContext ctx, Logger log, Function<T, JsonObject> toJson) {
    this.ctx = ctx;
    this.response = ctx.response();
    this.log = log;
    this.toJson = toJson;
    this.head = ctx.request().method() == HttpMethod.HEAD;
  }

  /** This answer as the caller of a relay. */
  Relay.Caller<T> caller() {
    return new Relay.Caller<>(this, gone -> CallerGone.watchHttp(response, gone), this::fail);
  }

  @Override
  public Future<Void> write(T item) {
    if (head) {
      return Future.succeededFuture();
    }
    piece.appendString(first ? "[" : ",").appendString(toJson.apply(item).encode());
    first = false;
    // HTTP/1.0 has no chunks: its client would learn the end only when the connection closed.
    if (piece.length() < PIECE_BYTES || ctx.request().version() == HttpVersion.HTTP_1_0) {
      return Future.succeededFuture();
    }
    if (!response.headWritten()) {
      response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").setChunked(true);
    }
    Buffer full = piece;
    piece = Buffer.buffer(PIECE_BYTES);
    return response.write(full);
  }

  @Override
  public Future<Void> end() {
    if (head) {
      // Its length unknown without writing it all: none, as HTTP allows a HEAD answer.
      return response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end();
    }
    if (!response.headWritten()) {
      // All of it in one piece: answered with its length, as any other answer.
      Answers.json(ctx, 200, first ? "[]" : piece.appendString("]").toString());
      return Future.succeededFuture();
    }
    return response.end(piece.appendString("]"));
  }

  private void fail(Throwable err) {
    if (!response.headWritten()) {
      HttpErrors.send(log, ctx, err);
      return;
    }
    StatusException status = Rpc.toStatus(err);
    Level level = Rpc.severity(status.status());
    log.log(level, ctx.request().method() + " " + ctx.request().path() + " -> 200 cut short (reset) by " + status.status().name()
      + ": " + status.message() + Rpc.cause(level, err), level == Level.SEVERE ? err : null);
    RequestCounts.cutShort(ctx);
    // INTERNAL_ERROR: a reset with NO_ERROR (the default) may read as an end.
    response.reset(Http2Error.INTERNAL_ERROR.code());
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public WriteStream<T> drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }

  @Override
  public WriteStream<T> setWriteQueueMaxSize(int maxSize) {
    response.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
    // The relay learns of a caller gone through its CallerGone (caller()), which sets the response's.
    return this;
  }
}
