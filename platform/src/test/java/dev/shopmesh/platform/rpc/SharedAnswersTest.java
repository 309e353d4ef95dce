package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.trace.Trace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One read shared by several requests answers each of them on its own context: a request's failure
 * is logged, and its answer names a trace, as that request's, not as the one that started the read.
 */
@ExtendWith(VertxExtension.class)
class SharedAnswersTest {

  static final String FIRST = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SECOND = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void aSharedReadAnswersEachRequestUnderItsOwnTrace(Vertx vertx) {
    Promise<Promise<String>> read = Promise.promise();
    Promise<Context> starter = Promise.promise();
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(request -> {
      Trace.enter(request);
      if (request.path().equals("/first")) {
        // The read, started while serving the first request, as a store's read is: its callbacks
        // run on this request's context.
        Promise<String> shared = ((ContextInternal) Vertx.currentContext()).promise();
        read.complete(shared);
        starter.complete(Vertx.currentContext());
        shared.future().onComplete(ar -> request.response().end(Trace.current().traceId()));
      } else {
        read.future().onSuccess(shared -> {
          SharedAnswers.forCaller(shared.future()).onComplete(ar -> request.response().end(Trace.current().traceId()));
          // Answered once the second request waits on it too.
          starter.future().onSuccess(context -> context.runOnContext(v -> shared.complete("page")));
        });
      }
    }).listen(0, "127.0.0.1"));
    HttpClient client = vertx.createHttpClient();

    Future<String> first = get(client, server.actualPort(), "/first", FIRST);
    Await.result(read.future());
    Future<String> second = get(client, server.actualPort(), "/second", SECOND);

    assertThat(Await.result(first)).isEqualTo(FIRST);
    assertThat(Await.result(second)).isEqualTo(SECOND);
  }

  static Future<String> get(HttpClient client, int port, String path, String trace) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", path)
      .compose(request -> request.putHeader(Trace.PARENT, "00-" + trace + "-00f067aa0ba902b7-01").send().compose(HttpClientResponse::body))
      .map(Buffer::toString);
  }
}
