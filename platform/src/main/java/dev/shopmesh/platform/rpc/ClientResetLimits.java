package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.log.Logs;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpClientConnectionInternal;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lifts the HTTP/2 rapid-reset limits that Vert.x 5.0.7 puts on <em>client</em> connections by
 * mistake. Its connection builder keeps {@code server(false)} to itself instead of passing it to
 * Netty's, so every client connection gets Netty's server defaults: it closes itself
 * (ENHANCE_YOUR_CALM), failing every call on it, once it has received 200 RST_STREAM frames in
 * 30 s, or sent 200 that are not CANCEL. A caller that cancels many calls at once trips the second:
 * each frame the server had already sent on a cancelled stream draws a RST_STREAM(STREAM_CLOSED)
 * from Netty. A server that resets many calls (deadlines, refused streams) trips the first. The
 * limits defend servers against reset floods (ours keep theirs, see {@link MeshServer}); Netty
 * enables them on servers only, and Vert.x fixed its builder after 5.0.7 (eclipse-vertx/vert.x#6015).
 * Netty cannot change them on a built connection, so this sets them by reflection, to no limit.
 * Where the classes differ (another Vert.x or Netty), it logs once and leaves the connection as it is.
 */
final class ClientResetLimits {

  private static final Logger LOG = Logs.logger("rpc");
  private static final String NETTY = "io.netty.handler.codec.http2.";
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ClientResetLimits() {
  }

  /** For a client connection's connect handler; HTTP/1 connections are left alone. */
  static void lift(HttpConnection connection) {
    if (!(connection instanceof HttpClientConnectionInternal internal)) {
      return;
    }
    ChannelHandler handler = internal.channelHandlerContext().handler();
    if (!(handler instanceof Http2ConnectionHandler http2)) {
      return;
    }
    try {
      liftSent(http2.encoder());
      liftReceived(http2.decoder());
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "could not lift the HTTP/2 reset limits of client connections: " + e, e);
      }
    }
  }

  /** The limit on RST_STREAM frames sent, in the encoder chain. */
  private static void liftSent(Http2ConnectionEncoder encoder) throws ReflectiveOperationException {
    for (Object e = encoder; e instanceof DecoratingHttp2ConnectionEncoder; e = field(DecoratingHttp2ConnectionEncoder.class, "delegate").get(e)) {
      if (e.getClass().getName().equals(NETTY + "Http2MaxRstFrameLimitEncoder")) {
        unlimit(e);
      }
    }
  }

  /**
   * The limit on RST_STREAM frames received: in the decoder, which wraps every frame listener it
   * is given (Vert.x sets one again on each SETTINGS frame), and in the listener it wraps now.
   */
  private static void liftReceived(Http2ConnectionDecoder decoder) throws ReflectiveOperationException {
    for (Object d = decoder; d instanceof DecoratingHttp2ConnectionDecoder; d = field(DecoratingHttp2ConnectionDecoder.class, "delegate").get(d)) {
      if (d.getClass().getName().equals(NETTY + "Http2MaxRstFrameDecoder")) {
        unlimit(d);
        Object listener = ((Http2ConnectionDecoder) field(DecoratingHttp2ConnectionDecoder.class, "delegate").get(d)).frameListener();
        if (listener != null && listener.getClass().getName().equals(NETTY + "Http2MaxRstFrameListener")) {
          unlimit(listener);
        }
      }
    }
  }

  private static void unlimit(Object limiter) throws ReflectiveOperationException {
    field(limiter.getClass(), "maxRstFramesPerWindow").setInt(limiter, Integer.MAX_VALUE);
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
