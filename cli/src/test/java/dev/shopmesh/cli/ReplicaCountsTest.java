package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** {@code up --replicas}, parsed as picocli parses it (nothing is started). */
class ReplicaCountsTest {

  private static UpCommand parse(String... args) {
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs(args);
    return up;
  }

  /** What a failure says: a service added to Services.BACKENDS failed these with "Actual and expected should have same size" alone. */
  private static final String EVERY_BACKEND = "every service of Services.BACKENDS, in its order: a service added there is added here";

  @Test
  void oneReplicaOfEachServiceByDefault() {
    assertThat(parse().replicas.counts()).as(EVERY_BACKEND).containsExactly(
      entry("catalog-service", 1), entry("payment-service", 1), entry("order-service", 1));
  }

  @Test
  void countsComeInDeploymentOrderWhateverOrderTheyWereGivenIn() {
    UpCommand up = parse("--replicas", "order-service=2, catalog-service=3,payment-service=16");

    assertThat(up.replicas.counts()).as(EVERY_BACKEND).containsExactly(
      entry("catalog-service", 3), entry("payment-service", 16), entry("order-service", 2));
  }

  @Test
  void servicesNotNamedGetOneReplica() {
    UpCommand up = parse("--replicas=catalog-service=3");

    assertThat(up.replicas.counts()).as(EVERY_BACKEND).containsExactly(
      entry("catalog-service", 3), entry("payment-service", 1), entry("order-service", 1));
  }

  @Test
  void anUnknownServiceIsNamedWithTheValidNames() {
    assertThatThrownBy(() -> parse("--replicas", "catalog-service=2,shipping-service=2"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("--replicas")
      .hasMessageContaining("unknown service 'shipping-service'")
      .hasMessageContaining("catalog-service, payment-service, order-service");
  }

  @Test
  void theGatewayCannotBeReplicated() {
    assertThatThrownBy(() -> parse("--replicas", "gateway=2"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("unknown service 'gateway'")
      .hasMessageContaining("the gateway always runs once");
  }

  @Test
  void countsOutsideOneToSixteenAreRefused() {
    assertThatThrownBy(() -> parse("--replicas", "payment-service=0"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("'payment-service=0'")
      .hasMessageContaining("from 1 to 16, got 0");
    assertThatThrownBy(() -> parse("--replicas", "catalog-service=17"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("'catalog-service=17'")
      .hasMessageContaining("got 17");
    assertThatThrownBy(() -> parse("--replicas", "catalog-service=-1"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("got -1");
  }

  @Test
  void malformedEntriesAreNamed() {
    assertThatThrownBy(() -> parse("--replicas", "catalog-service=three"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("'catalog-service=three'")
      .hasMessageContaining("whole number");
    assertThatThrownBy(() -> parse("--replicas", "catalog-service"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("'catalog-service' must look like SERVICE=N");
    assertThatThrownBy(() -> parse("--replicas", "catalog-service=2,catalog-service=3"))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("catalog-service is given more than once");
    assertThatThrownBy(() -> parse("--replicas", ","))
      .isInstanceOf(ParameterException.class)
      .hasMessageContaining("at least one service");
  }
}
