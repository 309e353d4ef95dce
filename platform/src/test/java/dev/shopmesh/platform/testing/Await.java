package dev.shopmesh.platform.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests, always with a deadline, never with a fixed sleep. */
public final class Await {

  public static final Duration DEFAULT = Duration.ofSeconds(20);

  private Await() {
  }

  /** The result of {@code future}, or an AssertionError if it failed or took longer than 20 s. */
  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError("future did not complete within " + DEFAULT, e);
    }
  }

  /** The failure of {@code future}, or an AssertionError if it succeeded. */
  public static Throwable failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError("future did not complete within " + DEFAULT, e);
    }
  }

  /**
   * The result of {@code work}, started on an event loop of {@code vertx}: for work that drives an
   * HTTP client. Started from the test's own thread, a response could end before its body was asked
   * for, and the call never completed (1 to 9 in 300 under load, and two test runs hung 20 s).
   */
  public static <T> T onEventLoop(Vertx vertx, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(done));
    return result(done.future());
  }

  /** Polls {@code condition} (every 20 ms, by parking, not sleeping on an event loop) until true or the deadline. */
  public static void until(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not true within " + deadline + ": " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** {@code value} once {@code accept} holds for it, polling as {@link #until}. */
  public static <T> T value(String what, Duration deadline, Supplier<T> value, java.util.function.Predicate<T> accept) {
    Object[] last = new Object[1];
    until(what, deadline, () -> {
      T v = value.get();
      last[0] = v;
      return accept.test(v);
    });
    @SuppressWarnings("unchecked") T result = (T) last[0];
    return result;
  }
}
