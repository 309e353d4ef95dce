package dev.shopmesh.bench.orders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {

  @Test
  void theReportNeverShowsThePassword() {
    Store pg = Store.postgres("postgresql://shopmesh:secret@127.0.0.1:5432/bench_orders");

    assertThat(pg.describe()).isEqualTo("PostgreSQL postgresql://shopmesh:***@127.0.0.1:5432/bench_orders");
    assertThat(pg.dbUrl()).contains("secret");
    assertThat(Store.redact("postgresql://127.0.0.1/db")).isEqualTo("postgresql://127.0.0.1/db");
    assertThat(Store.EMBEDDED.dbUrl()).isNull();
  }

  @Test
  void refusesWhatIsNotAPostgresqlUrl() {
    assertThatThrownBy(() -> Store.postgres("jdbc:sqlite::memory:")).hasMessageContaining("postgresql://");
  }
}
