package dev.shopmesh.platform.rpc;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/** Futures that several requests share (one read answering them all). */
public final class SharedAnswers {

  private SharedAnswers() {
  }

  /**
   * {@code shared}, completed on the calling request's own context: a shared future runs its
   * callbacks on the context of the request that started it, on that request's event loop, and
   * under its trace, so that another request's failure was logged, and its answer named, as the
   * first one's.
   */
  public static <T> Future<T> forCaller(Future<T> shared) {
    ContextInternal caller = (ContextInternal) Vertx.currentContext();
    Promise<T> mine = caller != null ? caller.promise() : Promise.promise();
    shared.onComplete(mine);
    return mine.future();
  }
}
