package dev.shopmesh.gateway.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Whether a request that changes something may come from the browser page that sent it. The API
 * reads an order whatever its {@code Content-Type} says (so that {@code curl -d} works), which makes
 * a POST from any web page a "simple" request that browsers send without asking first: a page on
 * another site could place and charge orders through a visitor's browser, the browser only keeping
 * the answer from it. A browser names the page's origin in {@code Origin}; the gateway's own pages
 * share its host and port, clients that are not browser pages (curl, servers, the CLI) send none.
 */
final class SameOrigin {

  private SameOrigin() {
  }

  /**
   * True when the request names no origin, or one at the host and port the request was sent to
   * ({@code Host}, or {@code X-Forwarded-Host} from a proxy that rewrote it: a page cannot set that
   * header without the browser asking first, which this API does not answer).
   */
  static boolean allows(HttpServerRequest request) {
    String origin = request.getHeader("origin");
    if (origin == null) {
      return true;
    }
    URI page;
    try {
      page = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    if (page.getHost() == null) {
      return false; // "null": a sandboxed frame, a file, a redirect from elsewhere
    }
    int defaultPort = "https".equalsIgnoreCase(page.getScheme()) ? 443 : 80;
    int port = page.getPort() == -1 ? defaultPort : page.getPort();
    return sameHost(page.getHost(), port, request.authority(), defaultPort)
      || sameHost(page.getHost(), port, forwardedHost(request), defaultPort);
  }

  private static HostAndPort forwardedHost(HttpServerRequest request) {
    String forwarded = request.getHeader("x-forwarded-host");
    return forwarded == null ? null : HostAndPort.parseAuthority(forwarded.split(",")[0].trim(), -1);
  }

  private static boolean sameHost(String host, int port, HostAndPort authority, int defaultPort) {
    return authority != null && host.equalsIgnoreCase(authority.host())
      && port == (authority.port() == -1 ? defaultPort : authority.port());
  }
}
