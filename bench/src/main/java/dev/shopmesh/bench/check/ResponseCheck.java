package dev.shopmesh.bench.check;

import dev.shopmesh.bench.load.Call;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Makes a call exactly as h2load makes it (same bytes, same headers, same protocol) and checks the
 * whole answer, trailers included. h2load cannot read gRPC's status; a sample of calls after each
 * run shows the server still answers correctly under the load it just had.
 */
public final class ResponseCheck {

  static final long CALL_TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public ResponseCheck(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Makes {@code samples} calls at once and checks every answer. Each sample gets a client of its
   * own, on new connections: a pooled connection left idle since the previous sample may be
   * expiring just as it is reused, and a call lost that way says nothing about the server. The
   * calls start on an event loop: started from the harness's thread, an answer could end before
   * its body was asked for, and the sample never completed ("no answers within 60 s").
   */
  public Future<Sample> sample(int port, Call call, int samples) {
    Promise<Sample> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> sampleOnEventLoop(port, call, samples).onComplete(done));
    return done.future();
  }

  private Future<Sample> sampleOnEventLoop(int port, Call call, int samples) {
    HttpClientAgent client = vertx.createHttpClient(call.http2()
      ? new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      : new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true));
    List<Future<String>> checks = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      checks.add(once(client, port, call).map(reply -> {
        try {
          return call.expectation().problem(reply);
        } catch (Exception e) {
          return "unreadable answer: " + e.getMessage();
        }
      }).otherwise(err -> "call failed: " + err));
    }
    return Future.join(checks).otherwiseEmpty()
      .eventually(client::close)
      .map(v -> {
        TreeSet<String> distinct = new TreeSet<>();
        int wrong = 0;
        for (Future<String> check : checks) {
          if (check.result() != null) {
            wrong++;
            distinct.add(check.result());
          }
        }
        return new Sample(samples, wrong, List.copyOf(distinct));
      });
  }

  /** One call and its whole answer. */
  static Future<Reply> once(HttpClientAgent client, int port, Call call) {
    // Bounded, so a server that stops answering fails its sample instead of stalling the harness.
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI(call.path())
      .setMethod(call.grpc() ? HttpMethod.POST : HttpMethod.GET)
      .setConnectTimeout(CALL_TIMEOUT_MS).setIdleTimeout(CALL_TIMEOUT_MS);
    if (call.grpc()) {
      options.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    }
    return client.request(options)
      .compose(request -> call.body() == null ? request.send() : request.send(Buffer.buffer(call.body())))
      .compose(response -> response.body()
        .map(body -> new Reply(response.statusCode(), response.headers(), response.trailers(), body.getBytes())));
  }
}
