package dev.shopmesh.gateway.audit;

import dev.shopmesh.platform.error.Failure;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One service's records as the audit reads them, in the order of their order's id: it holds what
 * has arrived and not been tallied yet, and pauses its stream once that is {@link #WINDOW} records
 * spanning more than one order (the records of one order are never split), so that a stream that
 * runs ahead of the others waits for them instead of filling the gateway's memory.
 */
final class OrderedReader<T> {

  /** How many records a reader holds before it pauses its stream. */
  static final int WINDOW = 256;

  private final String what;
  private final Function<T, String> orderIdOf;
  private final Runnable arrived;
  private final ArrayDeque<T> held = new ArrayDeque<>();
  private ReadStream<T> stream;
  private boolean paused;
  private boolean ended;
  private String lastOrderId;
  private Failure disorder;

  /**
   * @param what      what the records are, for the error when they come out of order
   * @param orderIdOf the id of the order a record belongs to
   * @param arrived   run after each record that arrives, and at the end
   */
  OrderedReader(String what, Function<T, String> orderIdOf, Runnable arrived) {
    this.what = what;
    this.orderIdOf = orderIdOf;
    this.arrived = arrived;
  }

  /** Starts reading {@code stream}. */
  void read(ReadStream<T> stream) {
    this.stream = stream;
    stream.handler(this::hold);
  }

  private void hold(T record) {
    String orderId = orderIdOf.apply(record);
    if (lastOrderId != null && orderId.compareTo(lastOrderId) < 0 && disorder == null) {
      // The walk would miss records: refuse to answer rather than report violations that are not.
      disorder = new Failure(Failure.Kind.INTERNAL, what + " arrived out of order (" + orderId + " after " + lastOrderId
        + "): its database sorts ids differently from the other services'");
    }
    lastOrderId = orderId;
    held.addLast(record);
    if (!paused && held.size() >= WINDOW && !orderIdOf.apply(held.peekFirst()).equals(orderId)) {
      paused = true;
      stream.pause();
    }
    arrived.run();
  }

  /** The stream ended with every record sent. */
  void end() {
    ended = true;
    arrived.run();
  }

  /** Why the records cannot be walked, or null. */
  Failure disorder() {
    return disorder;
  }

  /** Whether the next order id this reader will give is known: it holds a record, or its stream ended. */
  boolean ready() {
    return ended || !held.isEmpty();
  }

  /** The order id of the first record held, or null when none is. */
  String head() {
    return held.isEmpty() ? null : orderIdOf.apply(held.peekFirst());
  }

  /** Whether every record of {@code orderId} (none, maybe) has arrived: a later order's record has, or the stream ended. */
  boolean holdsAllOf(String orderId) {
    return ended || !held.isEmpty() && orderIdOf.apply(held.peekLast()).compareTo(orderId) > 0;
  }

  /** Takes the records of {@code orderId}, the least order id held; resumes the stream once it holds half its window. */
  List<T> take(String orderId) {
    List<T> taken = new ArrayList<>(1);
    while (!held.isEmpty() && orderIdOf.apply(held.peekFirst()).equals(orderId)) {
      taken.add(held.pollFirst());
    }
    if (paused && held.size() <= WINDOW / 2) {
      paused = false;
      stream.resume();
    }
    return taken;
  }
}
