package dev.shopmesh.platform.boot;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

  /**
   * A network without a route out (a private network with no default gateway), staged in a network
   * namespace of its own: Java 17's UDP connect throws "Network is unreachable" unchecked, and the
   * replica's start failed with a stack. It advertises its interface's address; with no interface
   * but loopback, loopback.
   */
  @Test
  void aMachineWithNoRouteOutAdvertisesItsInterfacesAddress() throws Exception {
    assertThat(inNamespace("ip link add v0 type veth peer name v1 && ip addr add 10.9.8.7/24 dev v0 && ip link set v0 up"
      + " && ip link set v1 up"))
      .isEqualTo("10.9.8.7");
    assertThat(inNamespace("true")).isEqualTo("127.0.0.1");
  }

  /** What {@link HostAddress#reachable()} says in a new network namespace, set up by {@code setUp}, named localhost. */
  private static String inNamespace(String setUp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process probe = new ProcessBuilder("unshare", "-rnu", "sh", "-c", "ip link set lo up && " + setUp + " && hostname localhost && \""
      + java + "\" -cp \"" + System.getProperty("java.class.path") + "\" '" + Reachable.class.getName() + "'").redirectErrorStream(true).start();
    String said = new String(probe.getInputStream().readAllBytes()).strip();
    boolean ended = probe.waitFor(60, TimeUnit.SECONDS);
    Assumptions.assumeTrue(ended && !said.contains("unshare:") && !said.contains("Operation not permitted"),
      "network namespaces with the ip command: " + said);
    return said;
  }

  /** Prints what a replica binding every interface would advertise. */
  public static final class Reachable {
    public static void main(String[] args) throws Exception {
      System.out.println(HostAddress.reachable());
    }
  }
}
