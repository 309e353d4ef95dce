package dev.shopmesh.platform.boot;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a replica binding every interface advertises. A run with --host=0.0.0.0 registered
 * 127.0.0.1 (the host name mapped to it), and one with --host=:: registered "::": no other
 * machine could reach either.
 */
class HostAddressTest {

  @Test
  void bothWildcardsAreWildcards() {
    assertThat(HostAddress.isWildcard("0.0.0.0")).isTrue();
    assertThat(HostAddress.isWildcard("::")).isTrue();
    assertThat(HostAddress.isWildcard("[::]")).isTrue();
    assertThat(HostAddress.isWildcard("0:0:0:0:0:0:0:0")).isTrue();
    assertThat(HostAddress.isWildcard("::1")).isFalse();
    assertThat(HostAddress.isWildcard("127.0.0.1")).isFalse();
    assertThat(HostAddress.isWildcard("catalog-service")).isFalse();
  }

  /**
   * Where this machine has a route out, the address advertised is the one that route sends from
   * (as `ip route get` says), whatever other interfaces are up: a Docker bridge listed first would
   * have been advertised, reachable from no other machine.
   */
  @Test
  void theAddressAdvertisedIsTheOneTheRouteOutSendsFrom() throws Exception {
    Process route = new ProcessBuilder("ip", "route", "get", "203.0.113.1").redirectErrorStream(true).start();
    String said = new String(route.getInputStream().readAllBytes());
    Assumptions.assumeTrue(route.waitFor() == 0 && said.contains(" src "), "a route out, and the ip command: " + said);
    String source = said.replaceAll("(?s).* src (\\S+).*", "$1");
    String advertised = HostAddress.reachable();
    assertThat(advertised).isIn(source, InetAddress.getLocalHost().getHostAddress());
    assertThat(InetAddress.getByName(advertised).isLoopbackAddress()).isFalse();
  }
}
