package dev.shopmesh.platform.db;

import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
      .hasMessageContaining("SHOPMESH_DB_URL must be a postgresql://… or jdbc:… URL")
      .hasMessageContaining("got '…@db:5432/shop'")
      .hasMessageNotContaining("secret");
  }
}
