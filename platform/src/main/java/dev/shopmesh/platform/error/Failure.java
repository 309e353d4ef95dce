package dev.shopmesh.platform.error;

/**
 * A failure the caller should see as such, with a message meant for them (it names the bad field,
 * the missing product...). Domain code throws these; the transport layer ({@code rpc.Rpc}) turns
 * the kind into a gRPC status, the gateway into an HTTP code. Anything else is an internal error
 * and its details are logged, never sent.
 */
public class Failure extends RuntimeException {

  /** What went wrong, in the vocabulary shared by gRPC and HTTP. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    ABORTED,
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
    INTERNAL,
    /** The caller broke gRPC's protocol: INTERNAL, as gRPC says, but the caller's mistake, not ours. */
    PROTOCOL_ERROR
  }

  private final Kind kind;

  public Failure(Kind kind, String message) {
    this(kind, message, null);
  }

  /** @param cause what the operator is told besides, in the log line: never sent to the caller */
  public Failure(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static Failure invalid(String message) {
    return new Failure(Kind.INVALID_ARGUMENT, message);
  }

  public static Failure notFound(String message) {
    return new Failure(Kind.NOT_FOUND, message);
  }

  public static Failure conflict(String message) {
    return new Failure(Kind.ALREADY_EXISTS, message);
  }

  public static Failure precondition(String message) {
    return new Failure(Kind.FAILED_PRECONDITION, message);
  }

  public static Failure unavailable(String message) {
    return new Failure(Kind.UNAVAILABLE, message);
  }
}
