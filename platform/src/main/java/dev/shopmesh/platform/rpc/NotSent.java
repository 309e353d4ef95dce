package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Failure;

/**
 * A call that failed UNAVAILABLE before any attempt of it reached a replica (the service's circuit
 * was open, no replica was registered, no connection could be made), so the service did nothing. A caller
 * that must undo what a failed call may have done (a charge whose answer was lost) need not undo
 * this one. Any other failure, and any call one attempt of which reached a replica, may have been
 * carried out.
 */
public final class NotSent extends Failure {

  NotSent(String message, Throwable cause) {
    super(Kind.UNAVAILABLE, message, cause);
  }

  /** Whether {@code err} is a call that reached no replica. */
  public static boolean is(Throwable err) {
    return err instanceof NotSent;
  }
}
