package dev.shopmesh.platform.discovery;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaTest {

  /**
   * A replica is one key however it is named: a call's connection gives its IPv6 peer in full, and
   * its faults were counted under a second key, so three of them never ejected it.
   */
  @Test
  void anIpv6ReplicaHasOneKeyHoweverItIsWritten() {
    Replica registered = new Replica("r-1", "s", "::1", 5000, new JsonObject(), new JsonObject(), 0, null, false);
    assertThat(registered.hostPort()).isEqualTo("[::1]:5000");
    assertThat(Replica.hostPort("0:0:0:0:0:0:0:1", 5000)).isEqualTo(registered.hostPort());
    assertThat(Replica.hostPort("[::1]", 5000)).isEqualTo(registered.hostPort());
    assertThat(Replica.hostPort("127.0.0.1", 5000)).isEqualTo("127.0.0.1:5000");
    assertThat(Replica.hostPort("catalog-service", 5000)).isEqualTo("catalog-service:5000");
  }
}
