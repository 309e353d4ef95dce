package dev.shopmesh.gateway.catalog;

import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.SharedAnswers;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Catalog pages as catalog-service answered them, kept for a short while and shared by the gateway's
 * gRPC and HTTP APIs ({@code SHOPMESH_CATALOG_PAGE_CACHE_MS}, default 1000; 0 turns it off). A shop's
 * product list is read far more often than it changes, and the stock a page shows is only a hint:
 * ReserveStock is the authority and answers short stock whatever a page said. Concurrent misses for
 * one page share one call; a failed call is not kept.
 */
public final class ProductPageCache {

  /** Pages are keyed by size and token, so the map is bounded by dropping everything past this many. */
  static final int MAX_PAGES = 1024;

  private final Function<GetProductPageRequest, Future<GetProductPageResponse>> fetch;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final Map<GetProductPageRequest, Entry> pages = new ConcurrentHashMap<>();

  private record Entry(Future<GetProductPageResponse> page, long expiresAtNanos) {
  }

  ProductPageCache(Function<GetProductPageRequest, Future<GetProductPageResponse>> fetch, Duration ttl, LongSupplier nanoClock) {
    this.fetch = fetch;
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
  }

  public static ProductPageCache of(MeshClient client, Duration ttl) {
    return new ProductPageCache(
      request -> client.idempotent(ServiceNames.CATALOG, CatalogServiceGrpcClient.GetProductPage, request), ttl, System::nanoTime);
  }

  public Future<GetProductPageResponse> page(GetProductPageRequest request) {
    if (ttlNanos <= 0) {
      return fetch.apply(request);
    }
    long now = nanoClock.getAsLong();
    Entry hit = pages.get(request);
    if (hit != null && hit.expiresAtNanos() - now > 0) {
      // A hit, as nearly every read is, takes no lock.
      return SharedAnswers.forCaller(hit.page());
    }
    if (pages.size() >= MAX_PAGES) {
      pages.clear();
    }
    // One look and one call, atomically: the gateway serves on several event loops, and a get then
    // a put let a miss on each loop call catalog-service for the same page.
    Entry[] fresh = {null};
    Entry entry = pages.compute(request, (key, cached) -> cached != null && cached.expiresAtNanos() - now > 0 ? cached
      : (fresh[0] = new Entry(fetch.apply(key), now + ttlNanos)));
    if (entry == fresh[0]) {
      // Outside compute: a call failed at once would remove its entry from inside the map's own update.
      entry.page().onFailure(err -> pages.remove(request, entry));
    }
    return SharedAnswers.forCaller(entry.page());
  }
}
