package dev.shopmesh.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** Ends a request with a body, or for a HEAD request with the headers that body would have. */
final class Answers {

  private Answers() {
  }

  static void json(RoutingContext ctx, int code, String json) {
    body(ctx, code, "application/json", json);
  }

  static void body(RoutingContext ctx, int code, String contentType, String body) {
    ctx.response().setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (ctx.request().method() == HttpMethod.HEAD) {
      // Vert.x's HTTP/2 server would send the body of a HEAD answer, which clients take for a
      // protocol error (curl --http2 -I fails); over HTTP/1.1 it drops it.
      ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(Buffer.buffer(body).length())).end();
    } else {
      ctx.response().end(body);
    }
  }
}
