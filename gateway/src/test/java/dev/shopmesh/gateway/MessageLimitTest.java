package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** An answer from a backend over SHOPMESH_MAX_MESSAGE_BYTES: said so, where it was a bare 500 "internal error". */
class MessageLimitTest {

  @TempDir
  Path data;

  @Test
  void aBackendsAnswerOverTheLimitIs500SayingSo() {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("MAX_MESSAGE_BYTES", "300"))) {
      TestMesh.Reply page = mesh.get("/api/products?page_size=50");
      assertThat(page.status()).isEqualTo(500);
      assertThat(page.json().getString("error")).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(page.json().getString("message")).matches(
        "an answer of \\d+ bytes is over the message size limit \\(SHOPMESH_MAX_MESSAGE_BYTES\\)");
    }
  }
}
