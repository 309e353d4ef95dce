package dev.shopmesh.gateway.grpc;

import dev.shopmesh.platform.rpc.CallerGone;
import dev.shopmesh.platform.rpc.MeshGrpcClient;
import dev.shopmesh.platform.rpc.Rpc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.impl.GrpcWriteStreamBase;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Relays a downstream call's response stream to our caller (a gRPC call's, or an HTTP request's:
 * {@link Caller}), failures as their status. It goes no faster than our caller reads. When our caller goes away (cancels, resets, times out), the
 * downstream call is cancelled too and nothing more is written to the dead stream.
 *
 * <p>A relay opens the call again, on another replica, when the one serving it stops or is lost
 * (UNAVAILABLE, or a reset), for up to a deadline after it broke: an order followed through the
 * gateway outlives a rolling restart of order-service, and a catalog listed through it one of
 * catalog-service, where the client had to open the stream again itself. The new call is sent what
 * the caller asked for so far. For a stream of states ({@link #resuming}) it answers what the
 * caller already has, which is left out: each key's first answer when it equals the last one
 * relayed. A listing ({@link #listing}) is asked to go on after the last item relayed, so the relay
 * keeps two keys (the first and the last) however long the list.
 */
public final class Relay<Req, Resp> {

  /**
   * Who a relay answers: the stream its messages go to, how it learns that the caller went away,
   * and how a failure is told to the caller (and logged, once).
   */
  public record Caller<Resp>(WriteStream<Resp> stream, Function<Runnable, CallerGone> watch, Consumer<Throwable> fail) {

    /** A gRPC server call's response: failures answered as their status, logged under {@code method}. */
    public static <Resp> Caller<Resp> grpc(Logger log, String method, WriteStream<Resp> response) {
      return new Caller<>(response, gone -> CallerGone.watch(response, gone), err -> Rpc.fail(log, method, response, err));
    }
  }

  private final Supplier<Future<GrpcClientRequest<Req, Resp>>> open;
  /** Sends a call's request, given the key of the last message relayed (null before the first). */
  private final BiConsumer<GrpcClientRequest<Req, Resp>, String> send;
  private final WriteStream<Resp> response;
  private final Consumer<Throwable> fail;
  private final Vertx vertx;
  private final long resumeForMillis;
  private final Function<Resp, String> keyOf;
  /** Whether the stream lists items in key order (resumed after the last one), not states (resumed from the start). */
  private final boolean listing;
  /** For states, the last message relayed by key. */
  private final Map<String, Resp> lastRelayed = new HashMap<>();
  /** For states, the keys whose next answer may repeat what the caller has: those relayed before the call now open. */
  private final Set<String> repeated = new HashSet<>();
  /** The key of the last message relayed. */
  private String lastKey;
  /** For a listing, the key of the first item relayed: a resumed call that starts with it again ignored {@code after_id}. */
  private String firstKey;
  /** For a listing resumed on a replica that started over, the key through which its items are the caller's already. */
  private String skipThrough;
  /** Whether the call now open has sent no message yet. */
  private boolean firstOfCall;
  private final CallerGone caller;
  private GrpcClientRequest<Req, Resp> call;
  /** Whether a call got its answer's headers: a stream that never opened is not resumed. */
  private boolean established;
  /** When the current call got its answer's headers; 0 before. */
  private long answeredAt;
  /** When the stream broke, if nothing was relayed since; 0 otherwise. */
  private long brokeAt;
  private int attempts;

  private Relay(Caller<Resp> to, Supplier<Future<GrpcClientRequest<Req, Resp>>> open,
                BiConsumer<GrpcClientRequest<Req, Resp>, String> send, Vertx vertx, long resumeForMillis,
                Function<Resp, String> keyOf, boolean listing) {
    this.open = open;
    this.send = send;
    this.response = to.stream();
    this.fail = to.fail();
    this.vertx = vertx;
    this.resumeForMillis = resumeForMillis;
    this.keyOf = keyOf;
    this.listing = listing;
    // Watched from the start: a caller may go before the downstream call is even open.
    this.caller = to.watch().apply(() -> {
      if (call != null) {
        MeshGrpcClient.cancel(call);
      }
    });
  }

  /**
   * Relays the call {@code open} opens, opened again for up to {@code resumeForMillis} after it
   * broke; {@code send} writes each call's request, {@code keyOf} says what a message is the state of.
   */
  static <Req, Resp> Relay<Req, Resp> resuming(Logger log, String method, Supplier<Future<GrpcClientRequest<Req, Resp>>> open,
                                               Consumer<GrpcClientRequest<Req, Resp>> send, WriteStream<Resp> response,
                                               Vertx vertx, long resumeForMillis, Function<Resp, String> keyOf) {
    return new Relay<>(Caller.grpc(log, method, response), open, (call, last) -> send.accept(call), vertx, resumeForMillis, keyOf,
      false);
  }

  /**
   * As {@link #resuming}, for a stream that lists items in the order of their key ({@code keyOf}):
   * {@code send} is given the key of the last item relayed (null for the first call), for the
   * request to ask for the items after it, so that the caller gets each item once.
   */
  public static <Req, Resp> Relay<Req, Resp> listing(Caller<Resp> to, Supplier<Future<GrpcClientRequest<Req, Resp>>> open,
                                                     BiConsumer<GrpcClientRequest<Req, Resp>, String> send, Vertx vertx,
                                                     long resumeForMillis, Function<Resp, String> keyOf) {
    return new Relay<>(to, open, send, vertx, resumeForMillis, keyOf, true);
  }

  /** Opens the downstream call: once the caller's own handlers are set, as it may open at once. */
  public Relay<Req, Resp> start() {
    openCall();
    return this;
  }

  /** The downstream call now open; null while it is being opened (again). */
  GrpcClientRequest<Req, Resp> call() {
    return caller.gone() ? null : call;
  }

  /** Whether the caller went away: nothing more may be sent on its behalf. */
  boolean callerGone() {
    return caller.gone();
  }

  /** The caller asked about {@code key} itself: the next answer about it is owed to it, whatever it says. */
  void forget(String key) {
    lastRelayed.remove(key);
    repeated.remove(key);
  }

  private void openCall() {
    open.get().onComplete(opened -> {
      if (opened.failed()) {
        broke(opened.cause(), false);
        return;
      }
      GrpcClientRequest<Req, Resp> req = opened.result();
      if (caller.gone()) {
        MeshGrpcClient.cancel(req);
        return;
      }
      call = req;
      answeredAt = 0;
      firstOfCall = true;
      skipThrough = null;
      repeated.addAll(lastRelayed.keySet());
      send.accept(req, lastKey);
      req.response().onComplete(answer -> {
        if (answer.failed()) {
          ended(req, answer.cause());
          return;
        }
        established = true;
        answeredAt = System.currentTimeMillis();
        GrpcClientResponse<Req, Resp> resp = answer.result();
        resp.exceptionHandler(err -> ended(req, err));
        resp.endHandler(v -> ended(req, Rpc.endStatus(resp)));
        resp.handler(message -> relay(req, resp, message));
      });
    });
  }

  private void relay(GrpcClientRequest<Req, Resp> req, GrpcClientResponse<Req, Resp> resp, Resp message) {
    // A broken call's messages still queued behind a pause would land after its successor's.
    if (caller.gone() || call != req) {
      return;
    }
    String key = keyOf.apply(message);
    if (listing ? alreadyListed(key) : alreadyRelayed(key, message)) {
      return;
    }
    if (listing && firstKey == null) {
      firstKey = key;
    }
    lastKey = key;
    brokeAt = 0;
    response.write(message);
    // Our caller reads slowly: the downstream call waits with it, held back by HTTP/2's flow
    // control, instead of the gateway holding the whole stream in memory for it.
    if (response.writeQueueFull()) {
      resp.pause();
      response.drainHandler(drained -> resp.resume());
    }
  }

  /** For states: whether {@code message} is what the caller has already of {@code key}, answered again by a resumed call. */
  private boolean alreadyRelayed(String key, Resp message) {
    Resp last = lastRelayed.put(key, message);
    return repeated.remove(key) && message.equals(last);
  }

  /**
   * For a listing: whether the item is one the caller has, because the replica the listing resumed
   * on started over. A catalog-service older than {@code after_id} ignores it, and during a rolling
   * upgrade the client got the catalog's first items twice; a resumed call whose first item is the
   * listing's first is such a replica's (one that reads {@code after_id} starts after the last item
   * relayed), and its items through the last one relayed are left out.
   */
  private boolean alreadyListed(String key) {
    if (firstOfCall) {
      firstOfCall = false;
      if (lastKey != null && key.equals(firstKey)) {
        skipThrough = lastKey;
      }
    }
    if (skipThrough == null) {
      return false;
    }
    if (key.equals(skipThrough)) {
      skipThrough = null;
    }
    return true;
  }

  /** The downstream call {@code req} ended: OK when {@code failure} is null. */
  private void ended(GrpcClientRequest<Req, Resp> req, Throwable failure) {
    if (call != req || caller.gone()) {
      return;
    }
    call = null;
    if (failure == null) {
      response.end();
      return;
    }
    // A call answered while our side of it is still open (TrackOrders ended NOT_FOUND) is ended
    // on our side too: it held a stream of order-service until the caller closed its side. (A
    // cancel does nothing once the call has its status.)
    if (!((GrpcWriteStreamBase<?, ?>) req).isTrailersSent()) {
      try {
        req.end();
      } catch (IllegalStateException alreadyOver) {
        // Reset meanwhile: nothing left to end.
      }
    }
    broke(failure, answeredAt > 0 && System.currentTimeMillis() - answeredAt >= STEADY_MILLIS);
  }

  /**
   * What a replica lost, or stopping, ends its streams with: UNAVAILABLE, or CANCELLED, as the
   * reset of a server whose stop ran out of grace reads (our caller's own cancel is never resumed:
   * the relay has stopped by then).
   */
  private static final Set<GrpcStatus> RESUMED = Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.CANCELLED);

  /** How long a call runs before its break is a new one, not the last one going on. */
  private static final long STEADY_MILLIS = 1_000;

  /**
   * A call that failed, or failed to open: opened again, after a jittered back-off, while the break
   * is younger than {@code resumeForMillis}; a call that had run {@link #STEADY_MILLIS} before it
   * broke starts a new break (the next replica of a rolling restart: a resumed call may relay
   * nothing new, its first answer being the state the caller has). A first call that fails is
   * answered at once.
   */
  private void broke(Throwable failure, boolean afterALongRun) {
    if (caller.gone()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (brokeAt == 0 || afterALongRun) {
      brokeAt = now;
      attempts = 0;
    }
    long backoff = Math.min(500, ThreadLocalRandom.current().nextLong(25, 75) * ++attempts);
    if (!established || !RESUMED.contains(Rpc.statusOf(failure))
      || now + backoff - brokeAt > resumeForMillis) {
      fail.accept(failure);
      return;
    }
    vertx.setTimer(backoff, t -> {
      if (!caller.gone()) {
        openCall();
      }
    });
  }
}
