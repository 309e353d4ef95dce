package dev.shopmesh.bench.check;

import dev.shopmesh.bench.load.Call;
import dev.shopmesh.bench.load.Protocol;
import dev.shopmesh.bench.plan.Calls;
import dev.shopmesh.bench.serve.BenchServer;
import dev.shopmesh.bench.serve.Ports;
import dev.shopmesh.bench.serve.ServerKind;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three servers, started here in one JVM, answer every call the benchmark makes correctly,
 * down to the trailers; and the check does see a wrong answer that h2load would count as a success.
 */
@ExtendWith(VertxExtension.class)
class ServersAnswerCorrectlyTest {

  private static final Map<ServerKind, BenchServer> servers = new EnumMap<>(ServerKind.class);
  private static final Map<ServerKind, Ports> ports = new EnumMap<>(ServerKind.class);
  private static Vertx vertx;
  private static ResponseCheck check;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    for (ServerKind kind : ServerKind.values()) {
      BenchServer server = kind.newServer();
      servers.put(kind, server);
      ports.put(kind, server.start());
    }
    ServersAnswerCorrectlyTest.vertx = vertx;
    check = new ResponseCheck(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    for (BenchServer server : servers.values()) {
      server.stop();
    }
  }

  @Test
  void everyServerSaysHello() throws Exception {
    for (ServerKind kind : ServerKind.values()) {
      assertThat(sample(ports.get(kind).grpc(), Calls.SAY_HELLO)).as(kind.label()).isEqualTo(new Sample(3, 0, java.util.List.of()));
    }
  }

  @Test
  void theGatewayServesTheHealthAndAFiftyProductCatalogOverGrpcAndRest() throws Exception {
    Ports gateway = ports.get(ServerKind.SHOPMESH);
    assertThat(sample(gateway.http(), Calls.HEALTH).problems()).isEmpty();
    assertThat(sample(gateway.grpc(), Calls.LIST_PRODUCTS).problems()).isEmpty();
    assertThat(sample(gateway.grpc(), Calls.GET_PRODUCT_PAGE).problems()).isEmpty();
    assertThat(sample(gateway.http(), Calls.PRODUCT_PAGE).problems()).isEmpty();
    assertThat(sample(gateway.http(), Calls.PRODUCT_PAGE.over(Protocol.REST_H2C)).problems()).isEmpty();
  }

  @Test
  void seesAGrpcErrorThatTravelsInAnHttp200() throws Exception {
    Call unknownMethod = new Call("Nope", Calls.SAY_HELLO.protocol(), "/greeting.GreetingService/Nope",
      Calls.SAY_HELLO.body(), Calls.SAY_HELLO.expectation());
    for (ServerKind kind : ServerKind.values()) {
      Sample sample = sample(ports.get(kind).grpc(), unknownMethod);
      assertThat(sample.wrong()).as(kind.label()).isEqualTo(3);
      assertThat(sample.problems()).as(kind.label()).singleElement().asString().startsWith("grpc-status 12");
    }
  }

  @Test
  void seesACatalogOfTheWrongSize() throws Exception {
    Call expectingMore = new Call("ListProducts", Calls.LIST_PRODUCTS.protocol(), Calls.LIST_PRODUCTS.path(),
      Calls.LIST_PRODUCTS.body(), Expectations.grpc(51, message -> null));
    assertThat(sample(ports.get(ServerKind.SHOPMESH).grpc(), expectingMore).problems())
      .containsExactly("50 messages, expected 51");
  }

  private static Sample sample(int port, Call call) throws Exception {
    return check.sample(port, call, 3).await(30, TimeUnit.SECONDS);
  }
}
