package dev.shopmesh.platform.boot;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * Work a service runs on its database that a drained gRPC server does not wait for: a stopping
 * replica lets it finish, within what is left of its grace, before closing the database under it.
 * order-service's sagas and sweeps, which outlive the call that started them: closed under them
 * ("Pool closed"), their orders would stay PENDING until another replica's sweep rejected them as
 * interrupted.
 */
public final class InFlightWork {

  private final Vertx vertx;
  private int running;
  private final List<Promise<Void>> waiting = new ArrayList<>();

  InFlightWork(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code work}, counted until it ends. */
  public <T> Future<T> track(Future<T> work) {
    synchronized (this) {
      running++;
    }
    return work.andThen(done -> ended());
  }

  private void ended() {
    List<Promise<Void>> idle;
    synchronized (this) {
      if (--running > 0) {
        return;
      }
      idle = List.copyOf(waiting);
      waiting.clear();
    }
    idle.forEach(Promise::tryComplete);
  }

  /** Completes once no tracked work runs, or after {@code graceMillis} whatever still runs. */
  Future<Void> finished(long graceMillis) {
    Promise<Void> idle = Promise.promise();
    synchronized (this) {
      if (running == 0) {
        return Future.succeededFuture();
      }
      waiting.add(idle);
    }
    long timer = vertx.setTimer(Math.max(1, graceMillis), t -> idle.tryComplete());
    return idle.future().andThen(done -> vertx.cancelTimer(timer));
  }
}
