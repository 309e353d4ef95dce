package dev.shopmesh.platform.testing;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** Reads a table a page at a time, as {@code Rpc.streamPages} does, for tests of a store's pages. */
public final class KeysetPages {

  private KeysetPages() {
  }

  /**
   * Every row that {@code after} gives, page after page, while they are {@code ours} (a PostgreSQL
   * database holds other tests' rows too, after a test's own when their keys sort later).
   *
   * @param after the page after a row (null: the first page), at most {@code size} rows
   */
  public static <T> List<T> read(Function<T, Future<List<T>>> after, int size, Predicate<T> ours) {
    List<T> read = new ArrayList<>();
    T last = null;
    while (true) {
      List<T> page = Await.result(after.apply(last));
      page.stream().filter(ours).forEach(read::add);
      if (page.size() < size || !ours.test(page.get(page.size() - 1))) {
        return read;
      }
      last = page.get(page.size() - 1);
    }
  }
}
