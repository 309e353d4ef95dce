package dev.shopmesh.platform.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * HTTP requests to a server that may not be up (yet, or any more): a test polling a starting or
 * stopping process treats "could not connect" as an answer, not as a failure.
 */
public final class Reachable {

  private Reachable() {
  }

  /** The answer, or empty when the server could not be reached or the connection failed. */
  public static Optional<HttpResponse<String>> send(HttpClient http, HttpRequest request) {
    try {
      return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
