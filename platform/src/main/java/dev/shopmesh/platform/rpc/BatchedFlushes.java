package dev.shopmesh.platform.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Makes a connection flush once per event-loop turn rather than once per write. Vert.x 5.0.7
 * flushes after every write made outside that connection's own read: each message of a relayed
 * stream, each answer whose work ended on another connection (a database, a downstream call), each
 * call the mesh sends on. Each flush is a system call. Netty's {@link FlushConsolidationHandler},
 * first in the pipeline, turns the flushes of one turn into one at its end, so nothing waits longer
 * than the task that wrote it; during a read the connection already flushes once, when the read ends.
 */
final class BatchedFlushes {

  /** Flushes one turn may hold back before one goes out anyway, as Netty's default. */
  private static final int MOST_HELD = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private BatchedFlushes() {
  }

  /** For a server's connection handler and a client's connect handler; other connections are left alone. */
  static void install(HttpConnection connection) {
    if (connection instanceof HttpServerConnection server) {
      install(server.channelHandlerContext());
    } else if (connection instanceof HttpClientConnectionInternal client) {
      install(client.channelHandlerContext());
    }
  }

  private static void install(ChannelHandlerContext context) {
    ChannelPipeline pipeline = context.pipeline();
    if (pipeline.get(FlushConsolidationHandler.class) == null) {
      pipeline.addFirst(new FlushConsolidationHandler(MOST_HELD, true));
    }
  }
}
