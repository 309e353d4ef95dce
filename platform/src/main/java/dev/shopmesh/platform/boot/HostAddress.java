package dev.shopmesh.platform.boot;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;

/**
 * This machine's address, as a replica binding every interface advertises it to the others: its
 * host name's, which is the container's own address on a container network. A host whose name
 * maps to a loopback address (Debian's /etc/hosts maps it to 127.0.1.1; some to 127.0.0.1) would
 * advertise an address no other machine reaches: there, the first IPv4 address of a network
 * interface that is up, and the loopback one only on a machine without any.
 */
final class HostAddress {

  private HostAddress() {
  }

  /** Whether {@code host} binds every interface: IPv4's 0.0.0.0 or IPv6's :: (in any spelling Java reads as such). */
  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.contains(":") && host.matches("[\\[\\]0:]+");
  }

  /** Blocking: name resolution and the interfaces' list; run off the event loop. */
  static String reachable() throws IOException {
    InetAddress named = InetAddress.getLocalHost();
    if (!named.isLoopbackAddress()) {
      return named.getHostAddress();
    }
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return address.getHostAddress();
          }
        }
      }
    }
    return named.getHostAddress();
  }
}
