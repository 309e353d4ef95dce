package dev.shopmesh.platform.discovery;

import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;

import java.util.function.Supplier;
import java.util.logging.Logger;

/** A published replica whose lease a heartbeat renews until it is withdrawn. */
public final class Registration {

  private static final Logger LOG = Logs.logger("discovery");

  private final Discovery discovery;
  private final Record record;
  private final long timer;
  /** Whether the last renewal failed: an outage is logged when it starts and when it ends, not every heartbeat. */
  private boolean failing;

  Registration(Discovery discovery, Record record, Supplier<JsonObject> stats, Supplier<JsonObject> served) {
    this.discovery = discovery;
    this.record = record;
    this.timer = discovery.vertx().setPeriodic(discovery.heartbeatMillis(), t -> discovery.renew(record, stats.get(), served.get())
      .onSuccess(v -> {
        if (failing) {
          failing = false;
          LOG.info("lease renewal of " + record.getName() + " works again");
        }
      })
      .onFailure(err -> {
        if (!failing) {
          failing = true;
          LOG.warning("lease renewal of " + record.getName() + " failing, retried every heartbeat: " + err.getMessage());
        }
      }));
  }

  /** The registration's id, as {@link Replica#id()} gives it to those who read the registry. */
  public String id() {
    return record.getRegistration();
  }

  /** Stops the heartbeat and marks the record withdrawn, so callers stop choosing this replica. */
  public Future<Void> withdraw() {
    discovery.vertx().cancelTimer(timer);
    return discovery.withdraw(record);
  }
}
