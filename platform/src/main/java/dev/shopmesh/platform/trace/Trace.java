package dev.shopmesh.platform.trace;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C trace context of the request being served, so that the log lines every service writes
 * for one request carry the same {@code trace_id} ({@link dev.shopmesh.platform.log.JsonLogFormatter}).
 * A request brings its {@code traceparent} or is given a new trace where it enters the mesh; each
 * service serving it is a span of its own, and the calls it makes carry the trace on. Nothing is
 * recorded or exported: log lines are what the trace ties together, and a tracing agent of the
 * user's reads the same headers.
 *
 * @param traceId 32 lowercase hex digits
 * @param spanId  16 lowercase hex digits: this service's part of the trace
 * @param flags   {@code 01} when the caller said it sampled the trace, else {@code 00} (the flags
 *                version 00 defines no other: their bits are not passed on, as the spec says)
 * @param state   the caller's {@code tracestate}, passed on as it came; null if none
 */
public record Trace(String traceId, String spanId, String flags, String state) {

  /** The request header that brings a trace, and that calls carry it on in (gRPC metadata alike). */
  public static final String PARENT = "traceparent";
  /** Vendors' data that goes with {@link #PARENT}, passed on untouched. */
  public static final String STATE = "tracestate";
  /** The header naming the trace a failed request was served under, for a caller that sent none (W3C Trace Context level 2). */
  public static final String RESPONSE = "traceresponse";

  /**
   * The most of a {@code tracestate} passed on (the spec's 32 members of up to 256 characters is
   * far more than any vendor sends): every call the request makes carries it, and a caller's 8 KB
   * one would put those calls' headers over what a server accepts.
   */
  static final int MAX_STATE_CHARS = 512;
  static final int MAX_STATE_MEMBERS = 32;

  /**
   * The trace of a request whose headers are {@code headers}: the caller's, with a new span, when
   * it sent one valid {@code traceparent}; a new trace otherwise (a malformed or repeated header is
   * not an error a request should fail on, and its {@code tracestate} is then dropped, as the W3C
   * spec says).
   */
  public static Trace of(MultiMap headers) {
    List<String> parents = headers.getAll(PARENT);
    String parent = parents.size() == 1 ? parents.get(0) : null;
    if (parent != null && valid(parent)) {
      boolean sampled = (Character.digit(parent.charAt(54), 16) & 1) == 1;
      return new Trace(parent.substring(3, 35), newId(1), sampled ? "01" : "00", state(headers.getAll(STATE)));
    }
    return new Trace(newId(2), newId(1), "00", null);
  }

  /** A {@code tracestate} sent in several headers is one list, as HTTP joins any repeated header; one too long is dropped. */
  private static String state(List<String> headers) {
    String state = String.join(",", headers);
    if (state.isBlank() || state.length() > MAX_STATE_CHARS || state.chars().filter(c -> c == ',').count() >= MAX_STATE_MEMBERS) {
      return null;
    }
    return state;
  }

  /**
   * Serves {@code request} under its trace ({@link #of}), which is set on the request's own context,
   * which every callback of its handling runs on, and only there. Read from the headers only when
   * first asked for (a log line, a call, a failed answer): most requests need none of it. A request
   * served again (an HTTP reroute) keeps the trace it has.
   */
  public static Served enter(HttpServerRequest request) {
    ContextInternal context = ((HttpServerRequestInternal) request).context();
    Served served = TraceRegistration.KEY.get(context);
    if (served == null) {
      served = new Served(request, null);
      TraceRegistration.KEY.put(context, served);
    }
    return served;
  }

  /** The trace of the request whose handling is running on this thread, or null outside one. */
  public static Trace current() {
    Served served = serving();
    return served == null ? null : served.trace();
  }

  /** The request whose handling is running on this thread, or null: to name its trace later, from wherever. */
  public static Served serving() {
    Context context = Vertx.currentContext();
    return context == null ? null : TraceRegistration.KEY.get(context);
  }

  /**
   * A header of the request whose handling is running on this thread (a gRPC call's metadata), null
   * outside one or when it has none: a generated service method is given the message alone.
   */
  public static String requestHeader(String name) {
    Served served = serving();
    return served == null || served.request == null ? null : served.request.getHeader(name);
  }

  /**
   * Work done for the request being served on a context of its own (a compensation, which must
   * outlive the request's deadline): its calls and log lines carry the request's trace, and its
   * failures name none in the request's answer, which is not theirs to write to.
   */
  public static void carryTo(Context other) {
    Served served = serving();
    if (served != null) {
      TraceRegistration.KEY.put(other, new Served(null, served.trace()));
    }
  }

  /**
   * Names the trace in the answer to {@code served}'s request, which failed: a header if none is
   * sent yet, else a trailer (a gRPC stream that fails after messages). An answer that succeeded
   * has nothing in the logs to find, and a header of its own on every answer costs: each value is
   * new, so HTTP/2's header compression sends it whole and evicts the headers it would have
   * shortened (SayHello's answers went from 60 to 118 bytes, and its throughput down by a quarter).
   */
  public static void nameInFailedAnswer(Served served) {
    HttpServerResponse response = served == null || served.request == null ? null : served.request.response();
    if (response == null) {
      return;
    }
    // Not asked whether ended first: as the head is written, in an end, Vert.x counts it ended.
    if (!response.headWritten()) {
      response.putHeader(RESPONSE, served.trace().header());
    } else if (!response.ended() && !response.closed()) {
      response.putTrailer(RESPONSE, served.trace().header());
    }
  }

  /** A request being served (null for work carried off it), and its trace once asked for, by any thread that serves it: one trace. */
  public static final class Served {
    private final HttpServerRequest request;
    private Trace trace;

    private Served(HttpServerRequest request, Trace trace) {
      this.request = request;
      this.trace = trace;
    }

    synchronized Trace trace() {
      if (trace == null) {
        trace = of(request.headers());
      }
      return trace;
    }
  }

  /** Adds {@link #PARENT} (this span as the parent) and {@link #STATE} to the headers of a call made while serving. */
  public void carryOn(MultiMap headers) {
    headers.set(PARENT, header());
    if (state != null) {
      headers.set(STATE, state);
    }
  }

  /** {@code 00-traceId-spanId-flags}: what a call made from this span carries, and what an answer names. */
  public String header() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  /**
   * Version 00's layout (a later version may add fields after it, which are ignored); lowercase hex,
   * an all-zero trace or parent id invalid, version ff invalid.
   */
  static boolean valid(String header) {
    if (header.length() < 55 || header.length() > 55 && (header.startsWith("00") || header.charAt(55) != '-')) {
      return false;
    }
    if (header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-' || header.startsWith("ff")) {
      return false;
    }
    return hex(header, 0, 2) && hex(header, 3, 35) && !zero(header, 3, 35) && hex(header, 36, 52)
      && !zero(header, 36, 52) && hex(header, 53, 55);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean zero(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  /** {@code longs} random 64-bit numbers in hex, never all zero. */
  private static String newId(int longs) {
    char[] id = new char[16 * longs];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int l = 0; l < longs; l++) {
      long bits = random.nextLong();
      if (l == 0 && bits == 0) {
        bits = 1;
      }
      for (int i = 0; i < 16; i++) {
        id[l * 16 + i] = DIGITS[(int) (bits >>> (60 - 4 * i)) & 0xf];
      }
    }
    return new String(id);
  }
}
