package dev.shopmesh.bench.serve;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The reference: grpc-java on its own (shaded) Netty, tuned as its performance guide says for
 * handlers that never block: {@code directExecutor()} runs them on the Netty event loop instead of
 * handing each call to a thread pool. Netty's defaults otherwise (an event loop per 2 × cores).
 */
final class GrpcJavaServer implements BenchServer {

  private Server server;

  @Override
  public Ports start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
      .directExecutor()
      .addService(new GrpcJavaGreeting())
      .build()
      .start();
    return new Ports(server.getPort(), 0);
  }

  @Override
  public void stop() throws Exception {
    server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
  }
}
