package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportsTest {

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void byDefaultAServiceRunsOnEpollAndServesOverIt() throws Exception {
    assertServes(Map.of(), true);
  }

  @Test
  void nioIsThereWhenAskedFor() throws Exception {
    assertServes(Map.of("SHOPMESH_TRANSPORT", "NIO"), false);
  }

  @Test
  void anUnknownTransportIsAnErrorNamingTheSettingAndTheChoices() {
    assertThatThrownBy(() -> Transports.choose("uring"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("SHOPMESH_TRANSPORT")
      .hasMessageContaining("'uring'")
      .hasMessageContaining("auto, epoll or nio");
  }

  @Test
  void eventsRunWithoutSwappingTheThreadsContextClassLoader() throws Exception {
    Vertx vertx = Transports.vertx(Config.of(Map.of()));
    Thread main = Thread.currentThread();
    ClassLoader before = main.getContextClassLoader();
    ClassLoader deployer = new ClassLoader(before) {
    };
    try {
      // A context takes the class loader of the thread that creates it; Vert.x by default sets it
      // on the event loop for each of the context's events.
      main.setContextClassLoader(deployer);
      Context context = vertx.getOrCreateContext();
      main.setContextClassLoader(before);
      ClassLoader seen = Future.<ClassLoader>future(promise -> context.runOnContext(v ->
          promise.complete(Thread.currentThread().getContextClassLoader())))
        .await(10, TimeUnit.SECONDS);
      assertThat(seen).isNotSameAs(deployer);
    } finally {
      main.setContextClassLoader(before);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A Vert.x made with {@code settings} is native or not as said, and answers a request over loopback. */
  private static void assertServes(Map<String, String> settings, boolean nativeTransport) throws Exception {
    Vertx vertx = Transports.vertx(Config.of(settings));
    try {
      assertThat(vertx.isNativeTransportEnabled()).as("native transport").isEqualTo(nativeTransport);
      assertThat(answer(vertx)).isEqualTo("pong");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** One HTTP request over loopback, served and sent by this Vert.x. */
  private static String answer(Vertx vertx) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.response().end("pong"))
      .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    // Held, and closed after: Vert.x 5 closes a client the garbage collector finds unreachable, and
    // this one was collected mid-request now and then ("Pool closed").
    HttpClient client = vertx.createHttpClient();
    try {
      return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
        .compose(req -> req.send().compose(resp -> resp.body()))
        .map(Buffer::toString)
        .await(10, TimeUnit.SECONDS);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }
}
