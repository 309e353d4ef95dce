package dev.shopmesh.platform.rpc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.impl.GrpcWriteStreamBase;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.function.Consumer;

/**
 * Tells a streaming handler that its caller went away: reset the stream (cancelled it, or its
 * deadline passed) or lost the connection. Vert.x 5.0.7 reports a reset only to the response's
 * error handler, which its public interfaces leave out (the generated services hand a handler the
 * response alone), not to the exception handlers of the response or of the request stream; and any
 * write after it throws. Without this, a cancelled stream's handler kept working: relays kept their
 * downstream call open, followers kept polling, and each late write logged a stack trace.
 */
public final class CallerGone {

  private boolean gone;

  private CallerGone() {
  }

  /**
   * Watches a server call's {@code response} from the handler's context; runs {@code onGone} once,
   * when the caller goes, on a later turn of that context: a lost connection reports every stream
   * on it in one loop, and work that writes to another connection from inside that loop (cancelling
   * a downstream call that fails in turn) would re-enter Vert.x, deeper for each stream.
   */
  public static CallerGone watch(WriteStream<?> response, Runnable onGone) {
    GrpcWriteStreamBase<?, ?> stream = (GrpcWriteStreamBase<?, ?>) response;
    // Over before the handler began watching: refused as it came in (InboundMessages).
    return watching(onGone, stream.isTrailersSent() || stream.isCancelled(), gone -> {
      stream.errorHandler(error -> gone.run());
      ((GrpcServerResponse<?, ?>) response).exceptionHandler(err -> gone.run());
    });
  }

  /** As {@link #watch}, for an HTTP request answered a piece at a time: its connection closed, or its HTTP/2 stream reset. */
  public static CallerGone watchHttp(HttpServerResponse response, Runnable onGone) {
    return watching(onGone, response.closed(), gone -> {
      response.closeHandler(v -> gone.run());
      response.exceptionHandler(err -> gone.run());
    });
  }

  private static CallerGone watching(Runnable onGone, boolean goneAlready, Consumer<Runnable> register) {
    CallerGone caller = new CallerGone();
    Context context = Vertx.currentContext();
    Runnable once = () -> {
      if (!caller.gone) {
        caller.gone = true;
        context.runOnContext(v -> onGone.run());
      }
    };
    register.accept(once);
    if (goneAlready) {
      once.run();
    }
    return caller;
  }

  /** Whether the caller went away: nothing more may be written. */
  public boolean gone() {
    return gone;
  }
}
