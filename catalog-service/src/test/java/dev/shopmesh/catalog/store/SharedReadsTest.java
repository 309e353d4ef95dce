package dev.shopmesh.catalog.store;

import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst of reads of one catalog page is one query, not one each queued on the store's connection. */
class SharedReadsTest {

  final SharedReads<String, String> reads = new SharedReads<>();
  final List<Promise<String>> queries = new ArrayList<>();

  Future<String> read(String key) {
    return reads.read(key, () -> {
      Promise<String> query = Promise.promise();
      queries.add(query);
      return query.future();
    });
  }

  @Test
  void readsOfOnePageWhileItIsReadShareTheQuery() {
    List<Future<String>> burst = IntStream.range(0, 100).mapToObj(i -> read("first page")).toList();
    Future<String> other = read("second page");
    assertThat(queries).as("one query per page").hasSize(2);
    queries.get(0).complete("12 products");
    assertThat(burst).allSatisfy(r -> assertThat(Await.result(r)).isEqualTo("12 products"));
    assertThat(other.isComplete()).isFalse();
  }

  @Test
  void aReadAfterTheQueryEndedQueriesAgain() {
    Future<String> first = read("page");
    queries.get(0).fail("the database is unavailable");
    assertThat(Await.failure(first)).hasMessage("the database is unavailable");
    Future<String> again = read("page");
    assertThat(queries).as("nothing kept, a failure included").hasSize(2);
    queries.get(1).complete("12 products");
    assertThat(Await.result(again)).isEqualTo("12 products");
  }
}
