package dev.shopmesh.platform.boot;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;

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

  @Test
  void theAddressAdvertisedIsNotLoopbackWhereTheMachineHasANetwork() throws Exception {
    boolean networked = Collections.list(NetworkInterface.getNetworkInterfaces()).stream().anyMatch(nic -> {
      try {
        return nic.isUp() && !nic.isLoopback() && Collections.list(nic.getInetAddresses()).stream().anyMatch(a -> a instanceof Inet4Address);
      } catch (java.net.SocketException e) {
        return false;
      }
    });
    assertThat(InetAddress.getByName(HostAddress.reachable()).isLoopbackAddress()).isEqualTo(!networked);
  }
}
