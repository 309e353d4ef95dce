package dev.shopmesh.catalog.store;

import dev.shopmesh.platform.rpc.SharedAnswers;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads of the same key made while one is running share its query. The embedded store has one
 * connection: a burst of 4,000 ListProducts streams queued 4,000 reads of the same first page on it,
 * and the stock reservations of orders waited behind them until they failed. A read that starts
 * while another is running may see what that one saw: at most one query's time old, and catalog
 * reads are a hint of stock anyway (the reservation is the authority). Each caller is answered on
 * its own context, whichever event loop ran the query.
 */
final class SharedReads<K, V> {

  private final Map<K, Future<V>> running = new ConcurrentHashMap<>();

  Future<V> read(K key, Supplier<Future<V>> query) {
    Promise<V> started = Promise.promise();
    Future<V> shared = running.putIfAbsent(key, started.future());
    if (shared == null) {
      shared = started.future();
      Future.<V>succeededFuture().compose(v -> query.get()).onComplete(answer -> {
        running.remove(key, started.future());
        started.handle(answer);
      });
    }
    return SharedAnswers.forCaller(shared);
  }
}
