package dev.shopmesh.order;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Runs a housekeeping pass again {@code pauseMillis} after the last one ended. A periodic timer
 * would start a pass while the last one still runs: a pass compensates its orders one after another,
 * each call with a deadline of its own, so with a dependency down it outlasts the period, and
 * overlapping passes would send the same refunds and releases again and again to a service that is
 * struggling already.
 */
final class Housekeeping {

  private final Vertx vertx;
  private final long pauseMillis;
  private final Supplier<Future<?>> pass;
  private long timer;
  private boolean stopped;

  private Housekeeping(Vertx vertx, long pauseMillis, Supplier<Future<?>> pass) {
    this.vertx = vertx;
    this.pauseMillis = pauseMillis;
    this.pass = pass;
  }

  /** Runs {@code pass} first {@code pauseMillis} from now, then that long after each pass ends. */
  static Housekeeping start(Vertx vertx, long pauseMillis, Supplier<Future<?>> pass) {
    Housekeeping housekeeping = new Housekeeping(vertx, pauseMillis, pass);
    housekeeping.next();
    return housekeeping;
  }

  private void next() {
    timer = vertx.setTimer(pauseMillis, fired -> pass.get().onComplete(done -> {
      if (!stopped) {
        next();
      }
    }));
  }

  /** No pass starts after this; one running now finishes on its own. */
  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }
}
