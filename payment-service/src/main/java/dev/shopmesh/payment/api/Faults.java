package dev.shopmesh.payment.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Fault injection for the fault tests, off unless configured. {@code SHOPMESH_FAULT_HALT_AFTER_CHARGES=N}
 * kills the process (as {@code kill -9} would: no shutdown hook, no reply) right after the N-th new
 * charge is committed, which is the one moment a lost answer can hide a real charge.
 */
public final class Faults {

  private final long haltAfterCharges;
  private final Logger log;
  private final AtomicLong charges = new AtomicLong();

  public Faults(long haltAfterCharges, Logger log) {
    this.haltAfterCharges = haltAfterCharges;
    this.log = log;
  }

  void chargeCommitted() {
    if (haltAfterCharges > 0 && charges.incrementAndGet() == haltAfterCharges) {
      log.severe("fault injection: halting after committing charge " + haltAfterCharges + ", before replying");
      Runtime.getRuntime().halt(137);
    }
  }
}
