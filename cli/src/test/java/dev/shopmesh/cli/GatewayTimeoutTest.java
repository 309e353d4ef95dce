package dev.shopmesh.cli;

import dev.shopmesh.gateway.grpc.OrderProxy;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.rpc.RpcSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI waits for the gateway's answer to an order longer than the gateway waits for the mesh:
 * with the database frozen, users read "no answer within 10 s" where the gateway would have said
 * 503 and why, 5 s later.
 */
class GatewayTimeoutTest {

  @Test
  void theCliOutwaitsTheGatewaysDeadlineForAnOrder() {
    long gatewayMillis = OrderProxy.PLACE_ORDER_DEADLINES * RpcSettings.from(Config.of(Map.of())).deadlineMillis();
    assertThat(Gateway.REQUEST_TIMEOUT).isGreaterThan(Duration.ofMillis(gatewayMillis).plusSeconds(2));
  }
}
