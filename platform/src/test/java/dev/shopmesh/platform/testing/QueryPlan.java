package dev.shopmesh.platform.testing;

import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.db.Sql;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SQLite's plan for a statement, to check that it reads an index, not the whole table. */
public final class QueryPlan {

  private QueryPlan() {
  }

  /** The plan's steps, one line each ("SCAN orders" for a full scan, "SEARCH … USING INDEX …" for an index). */
  public static List<String> of(Database embedded, Sql sql, Tuple params) {
    List<String> steps = new ArrayList<>();
    Await.result(embedded.pool().preparedQuery("EXPLAIN QUERY PLAN " + sql).execute(params))
      .forEach(row -> steps.add(row.getString("detail")));
    assertThat(steps).as("plan of %s", sql).isNotEmpty();
    return steps;
  }
}
