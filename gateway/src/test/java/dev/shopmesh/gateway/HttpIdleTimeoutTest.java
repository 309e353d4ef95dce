package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's HTTP port does not hold a connection that has gone quiet forever. */
class HttpIdleTimeoutTest {

  @TempDir
  Path data;

  @Test
  void aConnectionThatNeverFinishesItsRequestIsClosed() throws IOException {
    try (TestMesh mesh = TestMesh.start(TestConfig.in(data).with("HTTP_IDLE_TIMEOUT_MS", "300"));
         Socket socket = new Socket(InetAddress.getLoopbackAddress(), mesh.httpPort())) {
      socket.getOutputStream().write("POST /api/orders HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"
        .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(10_000);
      assertThat(socket.getInputStream().read()).as("end of stream: the server closed the connection").isEqualTo(-1);
    }
  }

  /** 0 would switch the timeout off, and hold quiet connections for good: refused, as every such 0 is. */
  @Test
  void aZeroTimeoutStopsTheGatewayNamingTheSetting() {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable refused = Await.failure(vertx.deployVerticle(new GatewayVerticle(TestConfig.in(data).with("HTTP_IDLE_TIMEOUT_MS", "0"))));
      assertThat(refused).hasMessageContaining("SHOPMESH_HTTP_IDLE_TIMEOUT_MS (--http-idle-timeout-ms) must be at least 1, got 0");
    } finally {
      Await.result(vertx.close());
    }
  }
}
