package dev.shopmesh.bench.serve;

import greeting.Greeting.HelloRequest;
import greeting.Greeting.HelloResponse;
import greeting.GreetingServiceGrpc;
import io.grpc.stub.StreamObserver;

/** The gateway's greeting ({@code Hello <name>!}, {@code Hello World!} for no name), on grpc-java. */
final class GrpcJavaGreeting extends GreetingServiceGrpc.GreetingServiceImplBase {

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloResponse> response) {
    String name = request.getName().isEmpty() ? "World" : request.getName();
    response.onNext(HelloResponse.newBuilder().setMessage("Hello " + name + "!").build());
    response.onCompleted();
  }
}
