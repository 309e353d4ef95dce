package dev.shopmesh.order.store;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps each order's idempotency key for {@code SHOPMESH_IDEMPOTENCY_KEY_TTL_MS} (24 h by default)
 * after the order was placed, then forgets it, as payment APIs do: long enough for any client's
 * retries, short enough that keys do not pile up as a constraint forever. Every replica sweeps; the
 * sweep is one idempotent UPDATE, so replicas racing each other do no harm.
 */
public final class KeyExpiry {

  private final OrderStore store;
  private final Duration ttl;
  private final Logger log;

  public KeyExpiry(OrderStore store, Duration ttl, Logger log) {
    this.store = store;
    this.ttl = ttl;
    this.log = log;
  }

  /** One pass; completes with how many keys it forgot. */
  public Future<Integer> sweep() {
    return store.expireKeys(System.currentTimeMillis() - ttl.toMillis())
      .onSuccess(n -> {
        if (n > 0) {
          log.info("forgot " + n + " idempotency keys older than " + ttl);
        }
      })
      .onFailure(err -> log.warning("idempotency key sweep failed: " + err));
  }
}
