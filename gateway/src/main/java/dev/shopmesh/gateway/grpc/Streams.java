package dev.shopmesh.gateway.grpc;

import dev.shopmesh.platform.rpc.CallerGone;
import dev.shopmesh.platform.rpc.MeshGrpcClient;
import dev.shopmesh.platform.rpc.Rpc;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.server.StatusException;

import java.util.logging.Logger;

/** Relays a downstream call's response stream to our caller, failures as their gRPC status. */
final class Streams {

  private Streams() {
  }

  /**
   * {@code upstream} is the downstream call, its request already sent or being sent; it goes no
   * faster than our caller reads. When our
   * caller goes away (cancels, resets, times out), the downstream call is cancelled too and
   * nothing more is written to the dead stream. Answers whether the caller is gone, for a relay
   * of the caller's own messages: none is sent on, nor the end, once the downstream call is cancelled.
   */
  static <T> CallerGone relay(Logger log, String method, Future<? extends GrpcClientRequest<?, T>> upstream, WriteStream<T> response) {
    // Watched from the start: a caller may go before the downstream call is even open.
    CallerGone caller = CallerGone.watch(response, () -> upstream.onSuccess(MeshGrpcClient::cancel));
    Handler<Throwable> failUnlessGone = err -> {
      if (!caller.gone()) {
        Rpc.fail(log, method, response, err);
      }
    };
    upstream.onComplete(call -> {
      call.response().onComplete(answer -> {
        answer.exceptionHandler(failUnlessGone);
        answer.endHandler(v -> {
          StatusException failed = Rpc.endStatus(answer);
          if (failed != null) {
            failUnlessGone.handle(failed);
          } else if (!caller.gone()) {
            response.end();
          }
        });
        answer.handler(message -> {
          if (!caller.gone()) {
            response.write(message);
            // Our caller reads slowly: the downstream call waits with it, held back by HTTP/2's
            // flow control, instead of the gateway holding the whole stream in memory for it.
            if (response.writeQueueFull()) {
              answer.pause();
              response.drainHandler(drained -> answer.resume());
            }
          }
        });
      }, failUnlessGone);
    }, failUnlessGone);
    return caller;
  }
}
