package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.config.Config;

/**
 * How callers spread, check and retry their calls; read once, documented in the README.
 *
 * @param strategy          Vert.x load-balancing strategy (round-robin, least-requests, random, power-of-two)
 * @param ejectionMillis    first back-off of an ejected replica; doubles per ejection up to {@code maxEjectionMillis}
 * @param probeMillis       period of the active health checks of the replicas a client calls
 * @param probeTimeoutMillis a health check not answered within this fails
 * @param maxAttempts       attempts of a retryable call (the first included)
 * @param retryRatio        retry budget: retries allowed per first attempt
 * @param circuitFailures   faults (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN) within 10 s that open a service's circuit
 * @param circuitResetMillis how long an open circuit fails calls at once before letting one through
 * @param connectTimeoutMillis a connection to a replica not made within this fails the attempt,
 *                          which is tried on another replica (Vert.x waits 60 s, the kernel about
 *                          two minutes: to a container just killed, whose address no longer answers,
 *                          each call waited out its whole deadline)
 * @param keepaliveMillis   a PING on each connection to a replica this often; one not answered
 *                          within twice this closes the connection ({@link Keepalive}); 0: none
 */
public record LbSettings(String strategy, long ejectionMillis, long maxEjectionMillis, long probeMillis,
                         long probeTimeoutMillis, int maxAttempts, double retryRatio,
                         int circuitFailures, long circuitResetMillis, long connectTimeoutMillis,
                         long keepaliveMillis) {

  public static LbSettings from(Config config) {
    return new LbSettings(
      // Round-robin by default: an even spread a user can check with ./shopmesh status. Power-of-two
      // breaks ties at random, which measured 0.88x/1.12x over 2 replicas and 600 orders.
      config.get("LOAD_BALANCER", "round-robin"),
      config.getLong("EJECTION_MS", 2_000, 1),
      config.getLong("MAX_EJECTION_MS", 30_000, 1),
      config.getLong("HEALTH_PROBE_MS", 1_000, 1),
      config.getLong("HEALTH_PROBE_TIMEOUT_MS", 500, 1),
      config.getInt("MAX_ATTEMPTS", 3, 1),
      0.2,
      // Faults of whole calls, retries included: one dead replica of several should never open it.
      config.getInt("CIRCUIT_FAILURES", 20, 1),
      config.getLong("CIRCUIT_RESET_MS", 5_000, 1),
      // Far above a connection's time on one network (under a millisecond), far below a deadline.
      config.getLong("CONNECT_TIMEOUT_MS", 1_000, 1),
      // A PING is answered on the replica's event loop, which a long GC pause or a blocked handler
      // stalls: closed after 5 s unanswered, the default deadline, its unary calls had failed
      // anyway; streams, which have no deadline, end. At 1 s (closed after 2 s), a 2.7 s stall
      // failed every call in flight on the replica. A stall that also leaves a health check
      // unanswered closes it after three fifths of this (1.5 s; Keepalives.suspectWaitMillis):
      // the calls in flight that may be retried then go elsewhere within their deadline.
      config.getLong("KEEPALIVE_MS", 2_500, 0));
  }
}
