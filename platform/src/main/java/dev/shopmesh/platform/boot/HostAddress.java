package dev.shopmesh.platform.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * This machine's address, as a replica binding every interface advertises it to the others: its
 * host name's, which is the container's own address on a container network. A host whose name
 * maps to a loopback address (Debian's /etc/hosts maps it to 127.0.1.1; some to 127.0.0.1) would
 * advertise an address no other machine reaches: there, the address its routes send from (the
 * default route's interface, not a Docker bridge that happens to be up); without a route out, an
 * interface's IPv4 address; and the loopback one only on a machine without a network.
 */
final class HostAddress {

  /** An address on no local network (TEST-NET-3), to ask the routing table which source it would use. */
  private static final String ELSEWHERE = "203.0.113.1";

  private HostAddress() {
  }

  /** Whether {@code host} binds every interface: IPv4's 0.0.0.0 or IPv6's :: (in any spelling Java reads as such). */
  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.contains(":") && host.matches("[\\[\\]0:]+");
  }

  /** Blocking: name resolution, the routing table's choice and the interfaces' list; run off the event loop. */
  static String reachable() throws IOException {
    InetAddress named = InetAddress.getLocalHost();
    if (!named.isLoopbackAddress()) {
      return named.getHostAddress();
    }
    // A UDP socket's connect sends nothing: it only picks the route, and with it the source address.
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(InetAddress.getByName(ELSEWHERE), 9);
      InetAddress routed = probe.getLocalAddress();
      if (!routed.isAnyLocalAddress() && !routed.isLoopbackAddress()) {
        return routed.getHostAddress();
      }
    } catch (IOException | UncheckedIOException e) {
      // No route out ("Network is unreachable", thrown unchecked by Java 17's connect): a private
      // network without a default gateway, or none at all.
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback()) {
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (address instanceof Inet4Address) {
              return address.getHostAddress();
            }
          }
        }
      }
    } catch (SocketException e) {
      // "No network interfaces configured": none up, loopback's included.
    }
    return named.getHostAddress();
  }
}
