package dev.shopmesh.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's HTTP API as every command calls it: one client, one request timeout, and one way to
 * say that the gateway cannot be reached or answered something else than 200.
 */
final class Gateway {

  /** What {@code --help} says of {@code --gateway}: its default as computed, and where it comes from. */
  static final String OPTION_HELP = "Gateway address (default: ${DEFAULT-VALUE}); by default where ./shopmesh up serves it,"
    + " from SHOPMESH_HTTP_HOST (else SHOPMESH_HOST) and SHOPMESH_HTTP_PORT when set, https:// with SHOPMESH_TLS_CERT_FILE"
    + " (whose certificate is then trusted).";

  /**
   * The gateway {@code ./shopmesh up} starts, where it binds as {@code up} reads the environment:
   * SHOPMESH_HTTP_HOST (else SHOPMESH_HOST) and SHOPMESH_HTTP_PORT. A custom port, then a custom
   * address, were forgotten: the commands looked on localhost:8080. https:// when it serves TLS.
   */
  static String defaultUrl(Map<String, String> env) {
    String host = env.getOrDefault("SHOPMESH_HTTP_HOST", env.getOrDefault("SHOPMESH_HOST", "127.0.0.1"));
    return (GatewayTrust.servesTls(env) ? "https://" : "http://") + reachedAt(host) + ":" + env.getOrDefault("SHOPMESH_HTTP_PORT", "8080");
  }

  /** Where a server bound to {@code host} is reached from this machine: localhost, unless it binds one address that is not. */
  static String reachedAt(String host) {
    if (host.equals("127.0.0.1") || host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")) {
      return "localhost";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /**
   * How long a command waits for an answer: past the gateway's own deadline for an order (three of
   * the mesh's, 15 s by default), so that a user reads the gateway's 503 or 504 and its reason, not
   * a timeout of the CLI's own. At 10 s, orders with the database frozen said only "no answer".
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** How long a command waits for a connection: a gateway not answering one is not going to be slow, it is not there. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The gateway could not be used; the message is the one line the user sees. */
  static final class GatewayException extends Exception {
    /** The HTTP status the gateway answered with; 0 when it gave no answer. */
    private final int status;

    GatewayException(String message) {
      this(message, 0);
    }

    GatewayException(String message, int status) {
      super(message);
      this.status = status;
    }

    /**
     * Whether the gateway answered that a service behind it is not there yet (503), or a proxy in
     * front of it that the gateway is (502): what a mesh whose service is restarting answers for a
     * while. Not a 504: the request used its whole time, and asking again adds another such.
     */
    boolean serviceNotReady() {
      return status == 502 || status == 503;
    }
  }

  /** What a user told "connection refused" is told to check, ./shopmesh up serving on other ports than the defaults. */
  static final String NOT_RUNNING_HINT = " (is the mesh running? start it with ./shopmesh up or docker compose up -d; if it serves another"
    + " HTTP port, pass --gateway localhost:PORT or set SHOPMESH_HTTP_PORT)";

  private final String base;
  private final HttpClient http;

  Gateway(URI url) {
    this(url, System.getenv());
  }

  /** @param env where SHOPMESH_TLS_CERT_FILE is read, for an https:// {@code url} ({@link GatewayTrust}) */
  Gateway(URI url, Map<String, String> env) {
    this.base = url.toString().replaceAll("/+$", "");
    HttpClient.Builder builder = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT);
    this.http = (url.getScheme().equals("https") ? builder.sslContext(GatewayTrust.context(env)) : builder).build();
  }

  /** Refuses a {@code --gateway} that is not an http(s) URL, as a usage error. */
  static void requireHttpUrl(CommandSpec spec, URI gateway) {
    String problem = !("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme())) || gateway.getHost() == null
      ? "must be an http:// or https:// URL"
      // A URL takes any number as a port; Java's HTTP client then threw, and the user read a stack.
      : gateway.getPort() == 0 || gateway.getPort() > 65_535 ? "must have a port from 1 to 65535"
      // --gateway 48080 read as a host named 48080, which "answered GET /api/products with HTTP 404".
      : gateway.getHost().matches("\\d+") ? "names no host (did you mean http://localhost:" + gateway.getHost() + "?)"
      : null;
    if (problem != null) {
      // Not typed, it came from the environment: SHOPMESH_HTTP_PORT=abc blamed a --gateway nobody gave.
      boolean typed = spec.commandLine().getParseResult().hasMatchedOption("--gateway");
      throw new ParameterException(spec.commandLine(), "--gateway " + problem + ", got '" + gateway + "'"
        + (typed ? "" : " (from SHOPMESH_HTTP_HOST, SHOPMESH_HOST or SHOPMESH_HTTP_PORT)"));
    }
    if (gateway.getScheme().equals("https")) {
      try {
        GatewayTrust.context(System.getenv());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  /**
   * Why the gateway could not be reached, with what to check: whether the mesh runs, unless TLS was
   * the matter (the gateway answered, so it runs); and https:// where a plain request got no bytes
   * back, which is what a gateway serving TLS does with it.
   */
  private String unreached(IOException e) {
    if (FailureWords.unwrap(e) instanceof SSLException) {
      return FailureWords.describe(e);
    }
    if (base.startsWith("http://") && String.valueOf(FailureWords.unwrap(e).getMessage()).contains("header parser received no bytes")) {
      return "the server closed the connection without an answer (a gateway serving TLS is reached with https://)";
    }
    return FailureWords.describe(e) + NOT_RUNNING_HINT;
  }

  String base() {
    return base;
  }

  HttpClient http() {
    return http;
  }

  /** A request to {@code path} with the timeout every call gets. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
  }

  /** The body of a 200 answer to {@code GET path}. */
  String get(String path) throws GatewayException, InterruptedException {
    return get(path, REQUEST_TIMEOUT);
  }

  /** The body of a 200 answer to {@code GET path}, waited for at most {@code timeout}. */
  String get(String path, Duration timeout) throws GatewayException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request(path).timeout(timeout).GET().build(), BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      if (e instanceof HttpConnectTimeoutException) {
        throw new GatewayException("cannot reach the gateway at " + base + ": " + FailureWords.describe(e)
          + NOT_RUNNING_HINT);
      }
      throw new GatewayException("the gateway at " + base + " did not answer GET " + path + " within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new GatewayException("cannot reach the gateway at " + base + ": " + unreached(e));
    }
    if (response.statusCode() != 200) {
      throw new GatewayException("the gateway at " + base + " answered GET " + path + " with HTTP " + response.statusCode()
        + (response.body().isBlank() ? "" : ": " + response.body().strip().replaceAll("\\s+", " "))
        + (response.statusCode() == 404 && URI.create(base).getRawPath().length() > 1
          // The mesh page's address (GET /mesh/api/mesh), where a path is a proxy's prefix, if any.
          ? " (--gateway has a path, " + URI.create(base).getRawPath() + ": the gateway's address is without one, unless a"
            + " proxy serves it under that path)"
          // Every path the CLI asks for is the gateway's: what answered is something else (Prometheus's
          // 9090), unless in the gateway's own words (an older gateway without the route).
          : response.statusCode() == 404 && !response.body().startsWith("{\"error\"")
          ? " (that is not a shopmesh gateway's HTTP port, 8080 unless moved)" : ""),
        response.statusCode());
    }
    return response.body();
  }
}
