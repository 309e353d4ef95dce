package dev.shopmesh.catalog.store;

import dev.shopmesh.platform.db.Sql;

/**
 * The statements that keep a reservation and its release apart: a reservation that arrives after
 * its release (its caller timed out and released while the request was on its way) takes no stock,
 * and a release never misses a reservation being written at the same moment.
 *
 * <p>On the embedded store a reservation checks for the release's row: SQLite runs one writer at a
 * time, so the two cannot overlap. PostgreSQL runs them side by side, and under READ COMMITTED each
 * would miss the other's uncommitted row: the release would find no lines, and the reservation
 * would then take its stock for good. There, both write the same row of {@code catalog_released}
 * (the reservation claims it, the release marks it released), so the later one waits for the
 * earlier to commit, and an upsert judges the row as committed, not as its snapshot saw it.
 */
record ReleaseFence(Sql insertLine, Sql release, Sql released) {

  private static final String INSERT_LINE = "INSERT INTO catalog_reservations (reservation_id, product_id, name,"
    + " quantity, unit_price_cents, currency, released, created_at)"
    + " SELECT CAST(#{rid} AS VARCHAR(128)), id, name, CAST(#{quantity} AS INT), price_cents, currency, FALSE,"
    + " CAST(#{now} AS BIGINT) FROM catalog_products WHERE id = #{pid} AND stock >= #{quantity} AND ";

  private static final String RETURNING = " ON CONFLICT DO NOTHING RETURNING name, unit_price_cents, currency";

  static final ReleaseFence EMBEDDED = new ReleaseFence(
    new Sql(INSERT_LINE + "NOT EXISTS (SELECT 1 FROM catalog_released WHERE reservation_id = #{rid})" + RETURNING),
    new Sql("INSERT INTO catalog_released (reservation_id) VALUES (#{rid}) ON CONFLICT DO NOTHING"),
    new Sql("SELECT 1 FROM catalog_released WHERE reservation_id = #{rid}"));

  static final ReleaseFence POSTGRES = new ReleaseFence(
    // The claim answers a row only while the reservation is not released (a second line of the
    // same reservation, or its retry, finds its own claim).
    new Sql("WITH claim AS (INSERT INTO catalog_released (reservation_id, released) VALUES (#{rid}, FALSE)"
      + " ON CONFLICT (reservation_id) DO UPDATE SET released = FALSE WHERE catalog_released.released = FALSE"
      + " RETURNING 1) " + INSERT_LINE + "EXISTS (SELECT 1 FROM claim)" + RETURNING),
    new Sql("INSERT INTO catalog_released (reservation_id, released) VALUES (#{rid}, TRUE)"
      + " ON CONFLICT (reservation_id) DO UPDATE SET released = TRUE"),
    new Sql("SELECT 1 FROM catalog_released WHERE reservation_id = #{rid} AND released"));
}
