package dev.shopmesh.bench.plan;

import dev.shopmesh.bench.load.Call;
import dev.shopmesh.bench.load.Protocol;
import dev.shopmesh.bench.serve.Ports;
import dev.shopmesh.bench.serve.ServerKind;

import java.util.List;

/** A call made to one server: a row of the results. */
public record Target(String id, ServerKind server, Call call) {

  /** In the order each round runs them: the three SayHello servers, then the gateway's REST and catalog calls. */
  public static final List<Target> ALL = List.of(
    new Target("shopmesh-grpc-sayhello", ServerKind.SHOPMESH, Calls.SAY_HELLO),
    new Target("bare-vertx-grpc-sayhello", ServerKind.BARE_VERTX, Calls.SAY_HELLO),
    new Target("grpc-java-grpc-sayhello", ServerKind.GRPC_JAVA, Calls.SAY_HELLO),
    new Target("shopmesh-rest-health", ServerKind.SHOPMESH, Calls.HEALTH),
    new Target("shopmesh-h2c-health", ServerKind.SHOPMESH, Calls.HEALTH.over(Protocol.REST_H2C)),
    new Target("shopmesh-grpc-productpage", ServerKind.SHOPMESH, Calls.GET_PRODUCT_PAGE),
    new Target("shopmesh-rest-productpage", ServerKind.SHOPMESH, Calls.PRODUCT_PAGE),
    new Target("shopmesh-h2c-productpage", ServerKind.SHOPMESH, Calls.PRODUCT_PAGE.over(Protocol.REST_H2C)),
    new Target("shopmesh-grpc-listproducts", ServerKind.SHOPMESH, Calls.LIST_PRODUCTS));

  /** The server's port this call goes to. */
  public int port(Ports ports) {
    return call.protocol() == Protocol.GRPC ? ports.grpc() : ports.http();
  }

  /** How the tables name it, e.g. {@code shopmesh gRPC SayHello}. */
  public String label() {
    String protocol = switch (call.protocol()) {
      case GRPC -> " gRPC ";
      case REST -> " REST ";
      case REST_H2C -> " REST h2c ";
    };
    return server.label() + protocol + call.name().replace("GET ", "");
  }
}
