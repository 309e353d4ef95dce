package dev.shopmesh.platform.lb;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outlier ejection that works with two or three replicas (gRPC's standard outlier detection,
 * gRFC A50, ejects nothing below five hosts by default). A replica is ejected for a back-off
 * period when a connection to it fails (refused, reset, closed), or after
 * {@value #CONSECUTIVE_FAULTS} consecutive faults (UNAVAILABLE, INTERNAL...). Each new ejection
 * doubles the back-off, from {@code baseMillis} up to {@code maxMillis}; a success resets it. Once
 * the back-off has passed the replica is routable again, and the health probe re-ejects it at once
 * if it still fails. An ejection the health probe made ends at the first check the replica passes:
 * probed every second while its database was down, a replica's back-off had grown to 30 s, and it
 * stayed out that long after the database was back. Calls failing while the probe's ejection runs
 * do not make it theirs.
 *
 * <p>A replica set aside, and one back in use, is logged once each, by each service that calls it:
 * a replica killed while callers retried elsewhere left no line at any of them, only a gap in
 * {@code status}. So is one forgotten while set aside, its registration gone (killed for good).
 */
public final class Outliers {

  private static final Logger LOG = Logs.logger("lb");

  static final int CONSECUTIVE_FAULTS = 3;
  /** HTTP/2 error code of RST_STREAM(CANCEL). */
  private static final long CANCEL = 8;

  private final long baseMillis;
  private final long maxMillis;
  private final LongSupplier clock;
  /** The service a replica's {@code host:port} is of, for the log; empty once it is out of the view. */
  private final Function<String, Optional<String>> serviceOf;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public Outliers(long baseMillis, long maxMillis, Function<String, Optional<String>> serviceOf) {
    this(baseMillis, maxMillis, serviceOf, System::currentTimeMillis);
  }

  Outliers(long baseMillis, long maxMillis, Function<String, Optional<String>> serviceOf, LongSupplier clock) {
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.serviceOf = serviceOf;
    this.clock = clock;
  }

  private static final class State {
    int consecutiveFaults;
    long backoff;
    long ejectedUntil;
    /** Whether the running ejection is the health probe's. */
    boolean byProbe;
    /** The replica as the log names it while it is set aside ("catalog-service replica 10.0.0.7:50061"); null while in use. */
    String setAside;
  }

  /** A transport failure talking to {@code hostPort}. */
  public void failed(String hostPort, Throwable failure) {
    boolean connectionLost = failure instanceof IOException || failure instanceof HttpClosedException
      || failure.getCause() instanceof IOException
      // A reset with CANCEL is our own deadline or cancellation, not the replica's fault alone.
      || failure instanceof StreamResetException reset && reset.getCode() != CANCEL;
    // A replica stopping cleanly says so (GOAWAY, no error) to calls it will not take: set aside as
    // well, but logged as the stop it is, not as a failure on each rolling restart.
    boolean stopping = failure instanceof HttpClosedException closed && closed.goAway() != null && closed.goAway().getErrorCode() == 0;
    fault(hostPort, connectionLost, false, stopping ? Level.INFO : Level.WARNING, !connectionLost ? null : stopping ? "it is stopping"
      : "its connection failed: " + (failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName()));
  }

  /** A fault answered by {@code hostPort}: {@value #CONSECUTIVE_FAULTS} in a row eject it. */
  public void fault(String hostPort) {
    fault(hostPort, false, false, Level.WARNING, null);
  }

  /**
   * A health check {@code hostPort} failed: ejected at once, until it passes one. Logged at INFO: a
   * replica stopped cleanly fails a check before its withdrawal reaches this caller's view, and
   * one whose database is down says so, at WARNING, in its own log.
   */
  public void probeFailed(String hostPort) {
    fault(hostPort, true, true, Level.INFO, "its health check failed");
  }

  /** A health check {@code hostPort} passed: ends an ejection of the probe's, and forgives as a success does. */
  public void probePassed(String hostPort) {
    State state = states.get(hostPort);
    if (state != null) {
      synchronized (state) {
        boolean itsOwn = state.byProbe;
        if (itsOwn) {
          state.ejectedUntil = 0;
          state.byProbe = false;
        }
        // Only the probe's ejection is over once a check passes; one of calls, once a call goes
        // through. A replica whose checks pass while its calls fail was logged back in use and set
        // aside again at every back-off.
        forgive(state, itsOwn ? "a health check passed" : null);
      }
    }
  }

  /** @param why why {@code eject} ejects at once, for the log at {@code level}; null when it does not */
  private void fault(String hostPort, boolean eject, boolean byProbe, Level level, String why) {
    State state = states.computeIfAbsent(hostPort, k -> new State());
    synchronized (state) {
      if (!byProbe && state.byProbe && clock.getAsLong() < state.ejectedUntil) {
        // Calls sent before the probe ejected it, failing as their connection is closed for want
        // of an answer: the same silence. Taken as a fault of calls, they kept a replica cut off
        // from the network for 8 s out 30 s longer, its checks passing.
        state.consecutiveFaults = 0;
        return;
      }
      state.consecutiveFaults++;
      if (eject || state.consecutiveFaults >= CONSECUTIVE_FAULTS) {
        state.backoff = state.backoff == 0 ? baseMillis : Math.min(2 * state.backoff, maxMillis);
        state.ejectedUntil = clock.getAsLong() + state.backoff;
        state.byProbe = byProbe;
        // One no longer in the view withdrew, stopping cleanly: nothing to tell.
        String service = serviceOf.apply(hostPort).orElse(null);
        if (state.setAside == null && service != null) {
          state.setAside = service + " replica " + hostPort;
          LOG.log(level, state.setAside + " set aside: " + (eject ? why : state.consecutiveFaults + " calls in a row failed")
            + (byProbe ? "; back once it passes one" : "; tried again in " + state.backoff + " ms"));
        }
        state.consecutiveFaults = 0;
      }
    }
  }

  public void succeeded(String hostPort) {
    State state = states.get(hostPort);
    if (state != null) {
      synchronized (state) {
        forgive(state, "a call went through");
      }
    }
  }

  /** With {@code state}'s lock held. @param how what puts the replica back in use, for the log; null if this does not */
  private void forgive(State state, String how) {
    state.consecutiveFaults = 0;
    if (clock.getAsLong() >= state.ejectedUntil) {
      state.backoff = 0;
      if (state.setAside != null && how != null) {
        LOG.info(state.setAside + " back in use: " + how);
        state.setAside = null;
      }
    }
  }

  /**
   * Forgets the replicas not in {@code live}, as {@link ClientStats#retain} does, once their
   * ejection has ended: a sick replica whose heartbeat ran late enough to leave the view came back
   * un-ejected.
   */
  public void retain(Set<String> live) {
    long now = clock.getAsLong();
    states.entrySet().removeIf(entry -> {
      if (live.contains(entry.getKey()) || now < ejectedUntil(entry.getValue())) {
        return false;
      }
      synchronized (entry.getValue()) {
        if (entry.getValue().setAside != null) {
          LOG.info(entry.getValue().setAside + " forgotten: no longer registered");
        }
      }
      return true;
    });
  }

  private static long ejectedUntil(State state) {
    synchronized (state) {
      return state.ejectedUntil;
    }
  }

  public boolean ejected(String hostPort) {
    State state = states.get(hostPort);
    return state != null && clock.getAsLong() < ejectedUntil(state);
  }
}
