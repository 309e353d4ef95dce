package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.error.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A start's patience with something it needs that is only late: a database or registry in a
 * container started beside it on a busy host (docker compose on two cores) refused, did not resolve
 * or did not answer for some seconds, and a replica that exited at its first failure failed an
 * {@code up} waiting for it to be healthy. A request is tried again at a back-off while its failure
 * says "not there yet", within one window opened by the first request: ten waits long, at most half
 * the 60 s a start may take ({@link Launcher}). Any other failure is said at once: a refused login
 * is not said after half a minute.
 */
public final class StartRetries {

  /** The most a start spends trying one thing again: half the 60 s a start may take. */
  static final long MAX_MILLIS = 30_000;

  private final Vertx vertx;
  private final Logger log;
  private final long waitMillis;
  private final long attemptMillis;
  private final Predicate<Throwable> notThereYet;
  private final Function<Throwable, String> describe;
  private final String note;
  /** When the window closes; set by the first request. */
  private long givesUpAt;

  /**
   * @param log where the retries are told, the caller's own
   * @param waitMillis how long one wait lasts (for an answer, a connection); the window is ten
   * @param waitsPerAttempt the most waits one attempt takes: another starts only if it can end in the window
   * @param describe what a failure says, in the log and in the failure given up with
   * @param note added inside the parentheses of the failure given up with (the setting to check), or ""
   */
  public StartRetries(Vertx vertx, Logger log, long waitMillis, int waitsPerAttempt, Predicate<Throwable> notThereYet,
                      Function<Throwable, String> describe, String note) {
    this.vertx = vertx;
    this.log = log;
    this.waitMillis = waitMillis;
    this.attemptMillis = waitsPerAttempt * waitMillis;
    this.notThereYet = notThereYet;
    this.describe = describe;
    this.note = note;
  }

  /**
   * {@code request}, tried again while it fails as not there yet and the window allows. Logs a
   * warning at the first such failure and a line when an attempt after it succeeds; gives up with
   * {@link GaveUp}.
   *
   * @param what what the requests are for, in the log ("registering catalog-service")
   */
  public <T> Future<T> run(String what, Supplier<Future<T>> request) {
    long now = System.currentTimeMillis();
    if (givesUpAt == 0) {
      givesUpAt = now + Math.min(10 * waitMillis, MAX_MILLIS);
    }
    return attempt(what, request, now, 1);
  }

  private <T> Future<T> attempt(String what, Supplier<Future<T>> request, long since, int attempt) {
    Future<T> once = request.get();
    return once.transform(ar -> {
      if (ar.succeeded() || !notThereYet.test(ar.cause())) {
        if (ar.succeeded() && attempt > 1) {
          log.info(what + ": answered at attempt " + attempt);
        }
        return once;
      }
      long backOff = Math.min(waitMillis, 250L << Math.min(attempt - 1, 3));
      long now = System.currentTimeMillis();
      if (now + backOff + attemptMillis > givesUpAt) {
        return Future.failedFuture(new GaveUp(String.format(Locale.ROOT, "%s (%d %s in %.1f s%s)",
          describe.apply(ar.cause()), attempt, attempt == 1 ? "attempt" : "attempts", (now - since) / 1000.0, note), ar.cause()));
      }
      if (attempt == 1) {
        log.warning(what + ": " + describe.apply(ar.cause()) + "; trying again for up to " + Math.round((givesUpAt - now) / 1000.0) + " s");
      }
      return vertx.timer(backOff).compose(v -> attempt(what, request, since, attempt + 1));
    });
  }

  /** UNAVAILABLE: the last failure of a request tried again until the window closed, how many attempts and over how long. */
  public static final class GaveUp extends Failure {
    GaveUp(String message, Throwable cause) {
      super(Kind.UNAVAILABLE, message, cause);
    }
  }
}
