package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Failure;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request handler served on several event loops. A Vert.x HTTP server runs on the event loop of
 * the context that started it; servers started on one host and port from different contexts share
 * the port, and Vert.x hands each new connection to the next of them in turn. Each server is an
 * instance of a small verticle, deployed as a child of the caller's verticle, so they are
 * undeployed with it. The handler must be safe to call from several threads at once.
 */
public final class EventLoopServers {

  private static final AtomicInteger ANY_PORT_GROUPS = new AtomicInteger();

  private final List<HttpServer> servers;

  private EventLoopServers(List<HttpServer> servers) {
    this.servers = servers;
  }

  /**
   * @param graceMillis how long requests in flight may finish when the servers are undeployed with
   *                    the caller's verticle (Vert.x undeploys children first, before the caller's
   *                    own stop could drain them)
   */
  public static Future<EventLoopServers> listen(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
                                                int eventLoops, long graceMillis) {
    return listen(vertx, options, handler, HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER, eventLoops, graceMillis);
  }

  /** As above, with {@code invalidRequests} answering requests that are not valid HTTP (too long a line or headers). */
  public static Future<EventLoopServers> listen(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
                                                Handler<HttpServerRequest> invalidRequests, int eventLoops, long graceMillis) {
    return listenOnEach(vertx, options, handler, invalidRequests, eventLoops, graceMillis)
      .recover(err -> Future.failedFuture(named(options, err)));
  }

  /** A failure to listen the operator can fix, said as such: a host no interface has read as a port in use, or a stack. */
  private static Throwable named(HttpServerOptions options, Throwable err) {
    String where = "cannot listen on " + options.getHost() + ":" + options.getPort() + ": ";
    String message = String.valueOf(err.getMessage());
    if (message.contains("Address already in use")) {
      return Failure.precondition(where + "another process holds that port (stop it, or choose another port; 0 takes a free one)");
    }
    // By the words, not the class: on epoll the error is Netty's NativeIoException, and on NIO a
    // BindException may also be "Permission denied" (a port under 1024), which is not this.
    if (message.contains("Cannot assign requested address") || err instanceof UnknownHostException
      || err.getCause() instanceof UnknownHostException) {
      return Failure.precondition(where + options.getHost()
        + " is no address of this machine (SHOPMESH_HOST; SHOPMESH_HTTP_HOST for the gateway's HTTP port)");
    }
    return err;
  }

  /** A server whose HTTP/2 connections a failed write on one stream does not close ({@link StreamErrorGuard}). */
  private static HttpServer server(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
                                   Handler<HttpServerRequest> invalidRequests) {
    return vertx.createHttpServer(options).requestHandler(handler).invalidRequestHandler(invalidRequests)
      .connectionHandler(StreamErrorGuard::install);
  }

  private static Future<EventLoopServers> listenOnEach(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
                                                       Handler<HttpServerRequest> invalidRequests, int eventLoops,
                                                       long graceMillis) {
    if (eventLoops <= 1) {
      return server(vertx, options, handler, invalidRequests).listen()
        .map(server -> new EventLoopServers(List.of(server)));
    }
    // Vert.x never shares a port-0 server; a negative port is any free port, shared by the servers
    // that ask for the same negative number on the same host: one number per group.
    HttpServerOptions shared = new HttpServerOptions(options);
    if (shared.getPort() == 0) {
      shared.setPort(-ANY_PORT_GROUPS.incrementAndGet());
    }
    // All instances deployed at once take consecutive event loops of Vert.x's pool, so distinct
    // threads; a server started from the caller's context could share a thread with one of them.
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new VerticleBase() {
        private HttpServer server;

        @Override
        public Future<?> start() {
          return server(vertx, shared, handler, invalidRequests).listen()
            .onSuccess(started -> {
              server = started;
              servers.add(started);
            });
        }

        @Override
        public Future<?> stop() {
          return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
        }
      }, new DeploymentOptions().setInstances(eventLoops))
      .map(id -> new EventLoopServers(servers));
  }

  public int port() {
    return servers.get(0).actualPort();
  }

  /** Stops accepting connections on every event loop and lets requests in flight finish, for at most {@code graceMillis}. */
  public Future<Void> shutdown(long graceMillis) {
    return Future.all(servers.stream().map(s -> s.shutdown(graceMillis, TimeUnit.MILLISECONDS)).toList()).mapEmpty();
  }
}
