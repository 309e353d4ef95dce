package dev.shopmesh.platform.db;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SHOPMESH_DB_URL that names no store the services know stops the start, rather than running embedded. */
@ExtendWith(VertxExtension.class)
class DatabaseUrlTest {

  @TempDir
  Path data;

  @Test
  void aMistypedUrlIsRefusedNamingTheSettingWithoutItsPassword(Vertx vertx) {
    assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL", "pg://shop:secret@db:5432/shop"), "catalog-service"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("SHOPMESH_DB_URL must be a postgresql://… or jdbc:sqlite:… URL")
      .hasMessageContaining("got 'pg://…@db:5432/shop'")
      .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL", "jdbc:mysql://db/shop"), "catalog-service"))
      .as("another database's JDBC URL").isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("SHOPMESH_DB_URL must be a postgresql://… or jdbc:sqlite:… URL");
  }

  /** A typo past "postgres" reached the driver, whose "Cannot parse invalid connection URI" quoted the URL, password and all. */
  @Test
  void aPostgresUrlTheDriverCannotReadIsRefusedWithoutItsPassword(Vertx vertx) {
    for (String url : new String[] {"postgresl://shop:secret@db:5432/shop", "postgresql//shop:secret@db:5432/shop",
      "postgresql://shop:secret@db:notaport/shop"}) {
      assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL", url), "catalog-service")).as(url)
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SHOPMESH_DB_URL ").hasMessageNotContaining("secret");
    }
    assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL", "jdbc:postgresql://db/shop?user=shop&password=secret"),
      "catalog-service")).as("a password in the query").isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("password=…").hasMessageNotContaining("secret");
  }

  /**
   * An SQLite file named by SHOPMESH_DB_URL runs as the default store does: in write-ahead-log mode,
   * a writer waiting 2 s for another. It ran in rollback-journal mode and waited 3 s, the driver's own
   * defaults, while persistence.md described the default store's.
   */
  @Test
  void anSqliteFileOfTheUsersChoosingRunsAsTheDefaultStoreDoes(Vertx vertx) {
    Database database = Database.open(vertx, TestConfig.in(data).with("DB_URL", "jdbc:sqlite:" + data.resolve("own.db")), "catalog-service");
    try {
      assertThat(Await.result(database.pool().query("PRAGMA journal_mode").execute()).iterator().next().getString(0)).isEqualTo("wal");
      assertThat(Await.result(database.pool().query("PRAGMA busy_timeout").execute()).iterator().next().getInteger(0))
        .isEqualTo(Database.LOCK_WAIT_MILLIS);
    } finally {
      Await.result(database.close());
    }
    assertThat(Database.withEmbeddedSettings("jdbc:sqlite:/x/own.db?JOURNAL_MODE=DELETE&busy_timeout=9000"))
      .as("what the URL sets is kept, in any case").isEqualTo("jdbc:sqlite:/x/own.db?JOURNAL_MODE=DELETE&busy_timeout=9000"
        + "&jdbc.get_generated_keys=false&synchronous=NORMAL");
  }

  /**
   * Statements wait 2 s for a lock, and run for as long as they were given, unless the URL's options
   * say otherwise, and a URL's own settings leave the driver's (UTF-8, ISO dates) in place: Vert.x
   * replaced them with the URL's.
   */
  @Test
  void aUrlKeepsTheTimeLimitsAndTheDriversSettingsUnlessItSetsThem() {
    Map<String, String> plain = Database.withTimeLimits(PgConnectOptions.fromUri("postgresql://shop@db/shop?application_name=audit"), 4_000)
      .getProperties();
    assertThat(plain).containsEntry("lock_timeout", "2000").containsEntry("statement_timeout", "4000")
      .containsEntry("application_name", "audit").containsEntry("client_encoding", "utf8").containsEntry("DateStyle", "ISO");
    Map<String, String> own = Database.withTimeLimits(PgConnectOptions.fromUri(
      "postgresql://shop@db/shop?options=-c%20lock_timeout%3D30000%20-c%20statement_timeout%3D60000"), 4_000).getProperties();
    assertThat(own).doesNotContainKeys("lock_timeout", "statement_timeout")
      .containsEntry("options", "-c lock_timeout=30000 -c statement_timeout=60000").containsEntry("client_encoding", "utf8");
  }

  /** A data directory that cannot be made is the operator's to fix: named as the setting, without a stack. */
  @Test
  void aDataDirectoryThatCannotBeMadeNamesTheSetting(Vertx vertx) throws Exception {
    Path file = Files.writeString(data.resolve("a-file"), "in the way");
    assertThatThrownBy(() -> Database.open(vertx, Config.of(Map.of("SHOPMESH_DATA_DIR", file.toString())), "catalog-service"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("SHOPMESH_DATA_DIR (--data-dir): cannot create the data directory " + file + ": a file is in the way");
  }

  @Test
  void aCertificateCheckingSslModeIsRefusedNamingTheSetting(Vertx vertx) {
    assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL",
      "postgresql://shop:secret@db:5432/shop?sslmode=verify-full"), "catalog-service"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("SHOPMESH_DB_URL: sslmode=verify-full")
      .hasMessageContaining("sslmode=require");
  }

  /** libpq's default, and what hosted PostgreSQL URLs often carry: TLS if the server has it, else plain. */
  @Test
  void aUrlThatPrefersTlsConnects(Vertx vertx) {
    Assumptions.assumeTrue(TestConfig.postgres(), "needs SHOPMESH_DB_URL");
    String url = System.getenv("SHOPMESH_DB_URL");
    Database database = Database.open(vertx, TestConfig.in(data).with("DB_URL",
      url + (url.contains("?") ? "&" : "?") + "sslmode=prefer"), "catalog-service");
    Await.result(database.migrate(List.of("SELECT 1")));
  }
}
