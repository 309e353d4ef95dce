package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;

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

  /** Stream resets a server takes from one connection per 30 s before it closes the connection. */
  public int resetsPerWindow() {
    return (int) Math.min(Integer.MAX_VALUE, 2 * maxConcurrentStreams);
  }
}
