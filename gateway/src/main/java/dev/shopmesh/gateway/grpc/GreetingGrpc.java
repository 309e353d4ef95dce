package dev.shopmesh.gateway.grpc;

import greeting.GreetingServiceService;
import greeting.Greeting.HelloRequest;
import greeting.Greeting.HelloResponse;
import io.vertx.core.Future;

/** The classic gRPC introduction's service: {@code Hello <name>!}, or {@code Hello World!} for no name. */
public final class GreetingGrpc extends GreetingServiceService {

  @Override
  public Future<HelloResponse> sayHello(HelloRequest request) {
    String name = request.getName().isEmpty() ? "World" : request.getName();
    return Future.succeededFuture(HelloResponse.newBuilder().setMessage("Hello " + name + "!").build());
  }
}
