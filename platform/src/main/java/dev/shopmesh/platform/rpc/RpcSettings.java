package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;
import io.vertx.core.http.HttpServerOptions;

/**
 * The gRPC limits, set deliberately and in one place. Vert.x's defaults are unsafe for a mesh:
 * clients have no deadline (a call to a hung replica waits forever), servers do not propagate the
 * caller's deadline to their own calls, messages are capped at 256 KiB, and a connection may open
 * unlimited concurrent HTTP/2 streams.
 *
 * @param deadlineMillis     deadline of every outgoing call that has no caller deadline to inherit
 * @param maxMessageBytes    largest message accepted by servers and clients
 * @param maxConcurrentStreams HTTP/2 streams one client connection may have open on a server
 */
public record RpcSettings(long deadlineMillis, long maxMessageBytes, long maxConcurrentStreams) {

  public static RpcSettings from(Config config) {
    return new RpcSettings(
      // Whole ints: Vert.x takes both as such, and a larger value failed deep in it without naming the setting.
      config.getInt("RPC_DEADLINE_MS", 5_000, 1),
      config.getLong("MAX_MESSAGE_BYTES", 4 * 1024 * 1024, 1),
      config.getInt("MAX_CONCURRENT_STREAMS", 1_000, 1));
  }

  /**
   * Stream resets a server takes from one connection per 30 s, or sends it with an error, before
   * it closes the connection: twice the streams it may have open, and never fewer than Vert.x's
   * own 200. Netty answers each frame still arriving on a stream the server has ended (a call
   * refused for a bad message, whose end was on its way) with a reset; with 2 streams a connection
   * was closed after four such calls, failing the one in flight on it.
   */
  public int resetsPerWindow() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(HttpServerOptions.DEFAULT_HTTP2_RST_FLOOD_MAX_RST_FRAME_PER_WINDOW,
      2 * maxConcurrentStreams));
  }
}
