package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.boot.Transports;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class EventLoopServersTest {

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The threads that answered {@code connections} requests, each on a connection of its own. */
  Set<String> threadsServing(int eventLoops, int connections) {
    EventLoopServers servers = Await.result(EventLoopServers.listen(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0),
      request -> request.response().end(Thread.currentThread().getName()), eventLoops, 0));
    // Held to the end, closed there: Vert.x 5 closes a client the garbage collector finds
    // unreachable, and once did so here with the requests in flight (CI's second pass, 20 s wait).
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    Set<String> threads = new HashSet<>(Await.onEventLoop(vertx, () -> Future.all(IntStream.range(0, connections)
      .mapToObj(i -> http.request(HttpMethod.GET, servers.port(), "127.0.0.1", "/")
        .compose(req -> req.send()).compose(resp -> resp.body()).map(Object::toString))
      .toList()).map(all -> all.<String>list())));
    Await.result(servers.shutdown(1_000));
    Await.result(http.close());
    return threads;
  }

  @Test
  void connectionsAreSpreadOverTheEventLoops() {
    assertThat(threadsServing(2, 8)).hasSize(2).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
  }

  @Test
  void undeployingTheOwnerLetsTheRequestsInFlightFinish() {
    Promise<Integer> port = Promise.promise();
    Promise<Void> arrived = Promise.promise();
    String owner = Await.result(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return EventLoopServers.listen(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0), request -> {
            // Answered only once its server has begun to shut down: it must be let finish.
            request.connection().shutdownHandler(v -> request.response().end("done"));
            arrived.tryComplete();
          }, 2, 5_000)
          .onSuccess(servers -> port.complete(servers.port()));
      }
    }));
    // Held to the end: Vert.x 5 closes a client the garbage collector finds unreachable.
    HttpClient client = vertx.createHttpClient();
    int serving = Await.result(port.future());
    // Started on an event loop, as Await.onEventLoop says why; awaited once the server is undeploying.
    Promise<String> answer = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.request(HttpMethod.GET, serving, "127.0.0.1", "/")
      .compose(req -> req.send()).compose(resp -> resp.body()).map(Object::toString).onComplete(answer));
    Await.result(arrived.future());
    Await.result(vertx.undeploy(owner));
    assertThat(Await.result(answer.future())).isEqualTo("done");
    Await.result(client.close());
  }

  @Test
  void oneEventLoopServesEverything() {
    assertThat(threadsServing(1, 8)).hasSize(1);
  }

  @Test
  void aPortInUseIsAFailureNamingIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      for (int eventLoops : new int[] {1, 2}) {
        Throwable err = Await.failure(EventLoopServers.listen(vertx,
          new HttpServerOptions().setHost("127.0.0.1").setPort(taken.getLocalPort()), request -> { }, eventLoops, 0));
        assertThat(err).isInstanceOf(Failure.class)
          .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": another process holds that port (stop it, or choose another port; 0 takes a free one)");
      }
    }
  }

  /**
   * A host no interface of this machine has, or no address at all: said so, where it read as a port
   * in use or a stack. On both transports: epoll (what ships on Linux) says it in an error of its own.
   */
  @ParameterizedTest
  @ValueSource(strings = {"auto", "nio"})
  void aHostThatIsNoAddressOfThisMachineIsAFailureNamingIt(String transport) throws IOException {
    // A name that does not resolve is asked of DNS: given up on within a second, not Vert.x's 20.
    Vertx own = Vertx.builder().with(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
      .setQueryTimeout(1_000).setMaxQueries(1))).withTransport(Transports.choose(transport)).build();
    List<String> hosts = new ArrayList<>(List.of("256.1.1.1"));
    // A documentation address (TEST-NET-1) binds nowhere, unless the kernel lets any address be bound.
    if (!Files.readString(Path.of("/proc/sys/net/ipv4/ip_nonlocal_bind")).trim().equals("1")) {
      hosts.add("192.0.2.1");
    }
    try {
      for (String host : hosts) {
        Throwable err = Await.failure(EventLoopServers.listen(own, new HttpServerOptions().setHost(host).setPort(0), request -> { }, 1, 0));
        assertThat(err).as(host).isInstanceOf(Failure.class).hasMessage("cannot listen on " + host + ":0: " + host
          + " is no address of this machine (SHOPMESH_HOST; SHOPMESH_HTTP_HOST for the gateway's HTTP port)");
      }
    } finally {
      own.close();
    }
  }
}
