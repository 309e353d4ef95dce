package dev.shopmesh.platform.discovery;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;

import java.util.function.Supplier;
import java.util.logging.Logger;

/** A published replica whose lease a heartbeat renews until it is withdrawn. */
public final class Registration {

  private static final Logger LOG = Logger.getLogger(Registration.class.getName());

  private final Discovery discovery;
  private final Record record;
  private final long timer;

  Registration(Discovery discovery, Record record, Supplier<JsonObject> stats) {
    this.discovery = discovery;
    this.record = record;
    this.timer = discovery.vertx().setPeriodic(discovery.heartbeatMillis(), t -> discovery.renew(record, stats.get())
      .onFailure(err -> LOG.warning("lease renewal of " + record.getName() + " failed: " + err.getMessage())));
  }

  /** Stops the heartbeat and removes the record, so callers stop choosing this replica. */
  public Future<Void> withdraw() {
    discovery.vertx().cancelTimer(timer);
    return discovery.withdraw(record.getRegistration());
  }
}
