package dev.shopmesh.platform.db;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

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
      .hasMessageContaining("got '…@db:5432/shop'")
      .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL", "jdbc:mysql://db/shop"), "catalog-service"))
      .as("another database's JDBC URL").isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("SHOPMESH_DB_URL must be a postgresql://… or jdbc:sqlite:… URL");
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
