package dev.shopmesh.gateway.catalog;

import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class ProductPageCacheTest {

  static final GetProductPageRequest FIRST = GetProductPageRequest.newBuilder().setPageSize(50).build();
  static final GetProductPageRequest OTHER = GetProductPageRequest.newBuilder().setPageSize(10).build();

  final AtomicLong now = new AtomicLong();
  final List<Promise<GetProductPageResponse>> calls = new ArrayList<>();

  ProductPageCache cache(Duration ttl) {
    return new ProductPageCache(request -> {
      Promise<GetProductPageResponse> call = Promise.promise();
      calls.add(call);
      return call.future();
    }, ttl, now::get);
  }

  @Test
  void aPageIsFetchedOncePerTimeToLiveAndConcurrentReadersShareTheCall() {
    ProductPageCache cache = cache(Duration.ofSeconds(1));
    Future<GetProductPageResponse> first = cache.page(FIRST);
    Future<GetProductPageResponse> second = cache.page(FIRST);
    assertThat(calls).hasSize(1);
    calls.get(0).complete(GetProductPageResponse.getDefaultInstance());
    assertThat(first.succeeded() && second.succeeded()).isTrue();
    cache.page(OTHER);
    assertThat(calls).as("another page is another call").hasSize(2);
    now.addAndGet(Duration.ofMillis(999).toNanos());
    cache.page(FIRST);
    assertThat(calls).hasSize(2);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    cache.page(FIRST);
    assertThat(calls).as("expired after the time to live").hasSize(3);
  }

  /** Pages are keyed by any token a client sends: past MAX_PAGES, the map is dropped rather than grown without end. */
  @Test
  void theCacheHoldsAtMostMaxPages() {
    ProductPageCache cache = cache(Duration.ofSeconds(1));
    for (int i = 0; i <= ProductPageCache.MAX_PAGES; i++) {
      cache.page(GetProductPageRequest.newBuilder().setPageSize(50).setPageToken("t" + i).build());
      calls.get(i).complete(GetProductPageResponse.getDefaultInstance());
    }
    cache.page(GetProductPageRequest.newBuilder().setPageSize(50).setPageToken("t0").build());
    assertThat(calls).as("the first page, dropped to make room").hasSize(ProductPageCache.MAX_PAGES + 2);
  }

  /** The gateway serves on several event loops: a miss on one while another's call was being made made a second call. */
  @Test
  void missesOnTwoThreadsShareOneCall() throws InterruptedException {
    CountDownLatch asking = new CountDownLatch(1);
    AtomicInteger asked = new AtomicInteger();
    ProductPageCache cache = new ProductPageCache(request -> {
      asked.incrementAndGet();
      asking.countDown();
      // Still making the call when the other thread misses; bounded, as that thread waits for this one.
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
      return Promise.<GetProductPageResponse>promise().future();
    }, Duration.ofSeconds(1), System::nanoTime);
    Thread first = new Thread(() -> cache.page(FIRST));
    first.start();
    asking.await();
    cache.page(FIRST);
    first.join();
    assertThat(asked).hasValue(1);
  }

  @Test
  void aFailedCallIsNotKept() {
    ProductPageCache cache = cache(Duration.ofSeconds(1));
    cache.page(FIRST);
    calls.get(0).fail("catalog down");
    cache.page(FIRST);
    assertThat(calls).hasSize(2);
  }

  @Test
  void zeroTimeToLiveFetchesEveryTime() {
    ProductPageCache cache = cache(Duration.ZERO);
    cache.page(FIRST);
    cache.page(FIRST);
    assertThat(calls).hasSize(2);
  }
}
