package dev.shopmesh.platform.rpc;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamPriority;
import io.vertx.core.net.HostAndPort;
import io.vertx.grpc.common.GrpcHeaderNames;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An HTTP/2 response that holds its latest {@link #write(Buffer) write} back until the next thing
 * done to it, at the latest until the end of the event-loop task that wrote it, so that a write
 * followed by {@link #end()} in the same task leaves as one {@code end(chunk)}.
 *
 * <p>Why: vertx-grpc 5.0.7 answers a call with {@code write(message)} then {@code end()}, and
 * Vert.x's HTTP/2 response sends an {@code end()} after a write as an empty DATA frame before the
 * trailers. Netty merges that frame away on the wire, but it costs a fourth write through Netty's
 * encoder and flow controller, with its promise, on every unary call. Given the message with the
 * end, Vert.x sends headers, message and trailers from one call. Vert.x then also adds a
 * {@code content-length} header, which this class takes out again: the frames on the wire stay
 * exactly what they were (gRPC-Web proxies that turn trailers into body bytes can keep a stale
 * {@code content-length}: envoyproxy/envoy#40097).
 *
 * <p>Only {@link #trailers()}, {@link #putTrailer} and the handler setters leave the held chunk
 * where it is (vertx-grpc sets the status trailer between the two calls); anything else sends it
 * first, so every other call sees the response as it would without this class. A chunk never
 * waits past the end of its task: a handler that writes and ends later (even once its write's
 * future completes) gets its message sent as before, and every write's future completes as
 * Vert.x's own would. Used on its request's event loop, as vertx-grpc does; a write from another
 * thread is passed straight on.
 *
 * <p>A throughput measure (bench/'s gateway SayHello), pinned to Vert.x and vertx-grpc 5.0.7's order of
 * writes: not a pattern to copy, and the first thing to re-measure, or drop, on a Vert.x upgrade
 * ({@code UnaryAnswersTest} says whether the frames are still right).
 */
final class HeldWriteResponse implements HttpServerResponse {

  private static final String CONTENT_LENGTH = "content-length";

  private final HttpServerResponse delegate;
  private final EventExecutor eventLoop;
  private Buffer held;
  private Promise<Void> heldSent;
  private Handler<Void> headersEndHandler;

  HeldWriteResponse(HttpServerResponse delegate, EventExecutor eventLoop) {
    this.delegate = delegate;
    this.eventLoop = eventLoop;
  }

  @Override
  public Future<Void> write(Buffer data) {
    sendHeld();
    if (!eventLoop.inEventLoop()) {
      return delegate.write(data);
    }
    held = data;
    heldSent = Promise.promise();
    eventLoop.execute(this::sendHeld);
    return heldSent.future();
  }

  @Override
  public Future<Void> end() {
    respecGrpcMessage();
    if (held == null) {
      return delegate.end();
    }
    Promise<Void> sent = heldSent;
    Buffer chunk = takeHeld();
    delegate.headersEndHandler(this::headersEnd);
    Future<Void> ended = passOn(sent, () -> delegate.end(chunk));
    ended.onComplete(sent);
    return ended;
  }

  /** Just before the head goes out: without the content-length Vert.x adds to an end with a body. */
  private void headersEnd(Void v) {
    delegate.headers().remove(CONTENT_LENGTH);
    if (headersEndHandler != null) {
      headersEndHandler.handle(v);
    }
  }

  @Override
  public Future<Void> end(Buffer data) {
    sendHeld();
    respecGrpcMessage();
    return delegate.end(data);
  }

  /**
   * The failure message, if any, as the gRPC spec encodes it ({@link GrpcMessages}): in the head
   * of a call answered with trailers only, else in the trailers. Here because one-message answers
   * end here, and the generated services give their handlers no way to the response. The trailers
   * are only looked at when there are some: asking Vert.x for them adds an (empty) trailers frame,
   * which a trailers-only answer must not have.
   */
  private void respecGrpcMessage() {
    if (delegate.headers().contains(GrpcHeaderNames.GRPC_STATUS)) {
      GrpcMessages.respec(delegate.headers());
    } else if (held != null || delegate.headWritten()) {
      GrpcMessages.respec(delegate.trailers());
    }
  }

  private void sendHeld() {
    if (held != null) {
      Promise<Void> sent = heldSent;
      Buffer chunk = takeHeld();
      passOn(sent, () -> delegate.write(chunk)).onComplete(sent);
    }
  }

  private Buffer takeHeld() {
    Buffer chunk = held;
    held = null;
    heldSent = null;
    return chunk;
  }

  /** {@code send}'s future; if it throws (a response already ended), the held write fails too. */
  private static Future<Void> passOn(Promise<Void> sent, Supplier<Future<Void>> send) {
    try {
      return send.get();
    } catch (RuntimeException e) {
      sent.fail(e);
      throw e;
    }
  }

  // Handlers go to the delegate; the head's end handler is also called from headersEnd.

  @Override
  public HttpServerResponse exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse closeHandler(Handler<Void> handler) {
    delegate.closeHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse endHandler(Handler<Void> handler) {
    delegate.endHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse drainHandler(Handler<Void> handler) {
    delegate.drainHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse headersEndHandler(Handler<Void> handler) {
    headersEndHandler = handler;
    delegate.headersEndHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse bodyEndHandler(Handler<Void> handler) {
    delegate.bodyEndHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse setWriteQueueMaxSize(int maxSize) {
    delegate.setWriteQueueMaxSize(maxSize);
    return this;
  }

  // Trailers go out with the end, so setting them leaves the held chunk held.

  @Override
  public MultiMap trailers() {
    return delegate.trailers();
  }

  @Override
  public HttpServerResponse putTrailer(String name, String value) {
    delegate.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(CharSequence name, CharSequence value) {
    delegate.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(String name, Iterable<String> values) {
    delegate.putTrailer(name, values);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(CharSequence name, Iterable<CharSequence> values) {
    delegate.putTrailer(name, values);
    return this;
  }

  // Everything else sends the held chunk first.

  @Override
  public boolean writeQueueFull() {
    sendHeld();
    return delegate.writeQueueFull();
  }

  @Override
  public int getStatusCode() {
    sendHeld();
    return delegate.getStatusCode();
  }

  @Override
  public HttpServerResponse setStatusCode(int statusCode) {
    sendHeld();
    delegate.setStatusCode(statusCode);
    return this;
  }

  @Override
  public String getStatusMessage() {
    sendHeld();
    return delegate.getStatusMessage();
  }

  @Override
  public HttpServerResponse setStatusMessage(String statusMessage) {
    sendHeld();
    delegate.setStatusMessage(statusMessage);
    return this;
  }

  @Override
  public HttpServerResponse setChunked(boolean chunked) {
    sendHeld();
    delegate.setChunked(chunked);
    return this;
  }

  @Override
  public boolean isChunked() {
    sendHeld();
    return delegate.isChunked();
  }

  @Override
  public MultiMap headers() {
    sendHeld();
    return delegate.headers();
  }

  @Override
  public HttpServerResponse putHeader(String name, String value) {
    sendHeld();
    delegate.putHeader(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(CharSequence name, CharSequence value) {
    sendHeld();
    delegate.putHeader(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(String name, Iterable<String> values) {
    sendHeld();
    delegate.putHeader(name, values);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(CharSequence name, Iterable<CharSequence> values) {
    sendHeld();
    delegate.putHeader(name, values);
    return this;
  }

  @Override
  public Future<Void> writeHead() {
    sendHeld();
    return delegate.writeHead();
  }

  @Override
  public Future<Void> write(String chunk, String enc) {
    sendHeld();
    return delegate.write(chunk, enc);
  }

  @Override
  public Future<Void> write(String chunk) {
    sendHeld();
    return delegate.write(chunk);
  }

  @Override
  public Future<Void> writeContinue() {
    sendHeld();
    return delegate.writeContinue();
  }

  @Override
  public Future<Void> writeEarlyHints(MultiMap headers) {
    sendHeld();
    return delegate.writeEarlyHints(headers);
  }

  @Override
  public Future<Void> end(String chunk) {
    sendHeld();
    return delegate.end(chunk);
  }

  @Override
  public Future<Void> end(String chunk, String enc) {
    sendHeld();
    return delegate.end(chunk, enc);
  }

  @Override
  public Future<Void> sendFile(String filename, long offset, long length) {
    sendHeld();
    return delegate.sendFile(filename, offset, length);
  }

  @Override
  public Future<Void> sendFile(FileChannel channel, long offset, long length) {
    sendHeld();
    return delegate.sendFile(channel, offset, length);
  }

  @Override
  public Future<Void> sendFile(RandomAccessFile file, long offset, long length) {
    sendHeld();
    return delegate.sendFile(file, offset, length);
  }

  @Override
  public boolean ended() {
    sendHeld();
    return delegate.ended();
  }

  @Override
  public boolean closed() {
    sendHeld();
    return delegate.closed();
  }

  @Override
  public boolean headWritten() {
    sendHeld();
    return delegate.headWritten();
  }

  @Override
  public long bytesWritten() {
    sendHeld();
    return delegate.bytesWritten();
  }

  @Override
  public int streamId() {
    return delegate.streamId();
  }

  @Override
  public Future<HttpServerResponse> push(HttpMethod method, HostAndPort authority, String path, MultiMap headers) {
    sendHeld();
    return delegate.push(method, authority, path, headers);
  }

  @Override
  public Future<Void> reset(long code) {
    sendHeld();
    return delegate.reset(code);
  }

  @Override
  public Future<Void> writeCustomFrame(int type, int flags, Buffer payload) {
    sendHeld();
    return delegate.writeCustomFrame(type, flags, payload);
  }

  @Override
  public HttpServerResponse setStreamPriority(StreamPriority streamPriority) {
    sendHeld();
    delegate.setStreamPriority(streamPriority);
    return this;
  }

  @Override
  public HttpServerResponse addCookie(Cookie cookie) {
    sendHeld();
    delegate.addCookie(cookie);
    return this;
  }

  @Override
  public Cookie removeCookie(String name, boolean invalidate) {
    sendHeld();
    return delegate.removeCookie(name, invalidate);
  }

  @Override
  public Set<Cookie> removeCookies(String name, boolean invalidate) {
    sendHeld();
    return delegate.removeCookies(name, invalidate);
  }

  @Override
  public Cookie removeCookie(String name, String domain, String path, boolean invalidate) {
    sendHeld();
    return delegate.removeCookie(name, domain, path, invalidate);
  }
}
