package dev.shopmesh.platform.db;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SHOPMESH_DB_URL that names no store the services know stops the start, rather than running embedded. */
class DatabaseUrlTest {

  @TempDir
  Path data;

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aMistypedUrlIsRefusedNamingTheSettingWithoutItsPassword() {
    assertThatThrownBy(() -> Database.open(vertx, TestConfig.in(data).with("DB_URL", "pg://shop:secret@db:5432/shop"), "catalog-service"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("SHOPMESH_DB_URL must be a postgresql://… or jdbc:… URL")
      .hasMessageContaining("got '…@db:5432/shop'")
      .hasMessageNotContaining("secret");
  }
}
