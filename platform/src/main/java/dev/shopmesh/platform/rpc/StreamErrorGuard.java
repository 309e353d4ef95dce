package dev.shopmesh.platform.rpc;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Keeps a failed write on one HTTP/2 stream from closing the whole connection. Netty handles such a
 * failure as the stream's error (the stream reset if still open) and then fails the write's promise.
 * Vert.x 5.0.7 writes a response's trailers with Netty's void promise, which reports a failure to the
 * connection as an exception, and its handler closes the connection on any exception. A caller that
 * reset a stream whose trailers were still waiting behind its data (for the caller's flow-control
 * window, or for the flush after the read that brought the reset) failed that write with "Stream
 * closed before write could take place": the server closed the connection, and every other call on
 * it failed ("Connection reset by peer"). This drops the report of a stream's error, already
 * handled; any other exception goes on to Vert.x as before.
 */
@ChannelHandler.Sharable
final class StreamErrorGuard extends ChannelInboundHandlerAdapter {

  private static final StreamErrorGuard INSTANCE = new StreamErrorGuard();
  private static final String NAME = "shopmesh-stream-error-guard";

  private StreamErrorGuard() {
  }

  /** For a server's connection handler, on the connection's event loop; HTTP/1 connections are left alone. */
  static void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    ChannelHandlerContext http2 = base.channelHandlerContext();
    if (http2.handler() instanceof Http2ConnectionHandler && http2.pipeline().get(NAME) == null) {
      // Before Vert.x's handler: a void promise's failure enters the pipeline at its head.
      http2.pipeline().addBefore(http2.name(), NAME, INSTANCE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (!(cause instanceof Http2Exception.StreamException)) {
      super.exceptionCaught(ctx, cause);
    }
  }
}
