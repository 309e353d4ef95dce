package dev.shopmesh.platform.db;

import io.vertx.core.Future;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether a service's database lets it serve, as its readiness check asks: unless the database
 * refuses it (down, restarting, a password changed), or has answered nothing for
 * {@link #SILENT_MILLIS}. Answered at once from the last look at the database, which each question
 * starts anew, one look at a time: a check that waited on the database would be slow exactly when
 * the replica is busiest, and a probe that times out ejects the replica from its callers' balancing.
 * <ul>
 *   <li>Slow is not gone: a look answered late still counts, so a database that keeps answering,
 *   however slowly (the embedded store's {@code SELECT 1} waits behind the orders on its one
 *   connection), leaves the replica ready; callers' deadlines deal with slowness. So does a look
 *   that found no connection free in time, while the statements ahead of it are answered: under a
 *   burst of catalog streams the look waited 4 s behind them, and the replica answered NOT_SERVING
 *   (the gateway's /health 503) with its database answering all along.</li>
 *   <li>Silent is gone: a stopped container's address answers nothing, where a stopped process
 *   refuses. Every call that needed the database waited out its deadline, and /health said UP.</li>
 *   <li>Full is gone for a while: a database that refused a write for want of space (its disk
 *   full) counts as gone for {@link #SILENT_MILLIS} after, since a look only reads. Every order
 *   failed, and /health said UP.</li>
 * </ul>
 */
public final class DatabaseReadiness {

  /** How long a database may leave every look unanswered before it counts as gone: fixed, as long as the default call deadline. */
  public static final long SILENT_MILLIS = 5_000;

  private final Supplier<Future<Boolean>> look;
  private final LongSupplier lastFull;
  private final LongSupplier lastAnswered;
  private final LongSupplier clock;
  private volatile boolean refuses;
  /**
   * A look found no connection free in time while the database had answered nothing for
   * {@link #SILENT_MILLIS}: every connection held by statements that never end. Until a look is answered.
   */
  private volatile boolean stuck;
  /** When the oldest look still unanswered began (looks given up on for silence included); 0 once a look ends. */
  private volatile long unansweredSince;
  /** Whether a look is on its way. */
  private volatile boolean looking;
  /** When the newest look began. */
  private volatile long lookedAt;

  /**
   * @param look         a question to the database: true when it answered, false when it refused,
   *                     failed when it could not be asked in time (no connection free)
   * @param lastFull     when, on {@code clock}, the database last refused a write for want of space; 0 if never
   * @param lastAnswered when, on {@code clock}, the database last answered any statement; 0 if never
   */
  public DatabaseReadiness(Supplier<Future<Boolean>> look, LongSupplier lastFull, LongSupplier lastAnswered, LongSupplier clock) {
    this.look = look;
    this.lastFull = lastFull;
    this.lastAnswered = lastAnswered;
    this.clock = clock;
  }

  public boolean ready() {
    return notReadyBecause() == null;
  }

  /** Why the database does not let this replica serve, in words for its log; null when it does. */
  public String notReadyBecause() {
    long now = clock.getAsLong();
    // While a look is pending no other starts, so a frozen database is not sent one per check; one
    // unanswered for SILENT_MILLIS is given up on, so that one to a database back again can answer.
    if (!looking || now - lookedAt > SILENT_MILLIS) {
      if (unansweredSince == 0) {
        unansweredSince = now;
      }
      looking = true;
      lookedAt = now;
      look.get().onComplete(answered -> {
        looking = false;
        unansweredSince = 0;
        if (answered.succeeded()) {
          refuses = !answered.result();
          stuck = false;
        } else {
          // No connection free in time: busy while statements are answered, stuck if none is. Its
          // silence ends with it, as a look's answer does: checks 10 s apart, the next look of a
          // database idle since a burst read as silent since the burst.
          stuck = clock.getAsLong() - lastAnswered.getAsLong() > SILENT_MILLIS;
        }
      });
    }
    // Silence is a look left unanswered, not time since the last answer: checks 10 s apart (a
    // container's health check, nothing else asking) read a healthy database as silent. Nor is it
    // silence while other statements are answered.
    boolean silent = unansweredSince != 0 && now - unansweredSince > SILENT_MILLIS
      && now - lastAnswered.getAsLong() > SILENT_MILLIS;
    long full = lastFull.getAsLong();
    return refuses ? "the database refuses this replica (down, restarting, or a password changed)"
      : stuck ? "the database has answered nothing for " + SILENT_MILLIS / 1000 + " s, every connection taken"
      : silent ? "the database has answered nothing for " + SILENT_MILLIS / 1000 + " s"
      : full != 0 && now - full <= SILENT_MILLIS ? "the database refused a write for want of space"
      : null;
  }
}
