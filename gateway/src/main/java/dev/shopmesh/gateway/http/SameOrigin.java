package dev.shopmesh.gateway.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * Whether a request that changes something may come from the browser page that sent it. The API
 * reads an order whatever its {@code Content-Type} says (so that {@code curl -d} works), which makes
 * a POST from any web page a "simple" request that browsers send without asking first: a page on
 * another site could place and charge orders through a visitor's browser, the browser only keeping
 * the answer from it. A browser names the page's origin in {@code Origin} (older ones, on a form's
 * POST, only in {@code Referer}); the gateway's own pages share its host and port, and clients that
 * are not browser pages (curl, servers, the CLI) send neither.
 */
final class SameOrigin {

  private SameOrigin() {
  }

  /**
   * True when the request names no page, or one at the host and port the request was sent to
   * ({@code Host}, or {@code X-Forwarded-Host} from a proxy that rewrote it: a page cannot set that
   * header without the browser asking first, which this API does not answer).
   */
  static boolean allows(HttpServerRequest request) {
    String page = page(request);
    if (page == null) {
      return true;
    }
    int schemeEnd = page.indexOf("://");
    if (schemeEnd < 0) {
      return false; // "null": a sandboxed frame, a file, a redirect from elsewhere
    }
    int defaultPort = page.regionMatches(true, 0, "https", 0, schemeEnd) && schemeEnd == 5 ? 443 : 80;
    // page() leaves no path. parseAuthority, not java.net.URI, which reads no host in a name with an
    // underscore (browsers do); anything after the authority makes it unreadable, and so refused.
    HostAndPort origin = HostAndPort.parseAuthority(page.substring(schemeEnd + 3), defaultPort);
    return origin != null && (same(origin, request.authority(), defaultPort) || same(origin, forwardedHost(request), defaultPort));
  }

  /**
   * The origin of the page that sent the request, as {@code Origin} names it, else as {@code Referer}
   * does (its path and query left out: they may carry a token, and the refusal is logged); null from
   * a client that is not a page.
   */
  static String page(HttpServerRequest request) {
    String origin = request.getHeader("origin");
    if (origin != null) {
      return origin;
    }
    String referer = request.getHeader("referer");
    int schemeEnd = referer == null ? -1 : referer.indexOf("://");
    int pathStart = schemeEnd < 0 ? -1 : referer.indexOf('/', schemeEnd + 3);
    return referer == null || pathStart < 0 ? referer : referer.substring(0, pathStart);
  }

  private static HostAndPort forwardedHost(HttpServerRequest request) {
    String forwarded = request.getHeader("x-forwarded-host");
    return forwarded == null ? null : HostAndPort.parseAuthority(forwarded.split(",")[0].trim(), -1);
  }

  private static boolean same(HostAndPort origin, HostAndPort authority, int defaultPort) {
    return authority != null && origin.host().equalsIgnoreCase(authority.host())
      && origin.port() == (authority.port() == -1 ? defaultPort : authority.port());
  }
}
