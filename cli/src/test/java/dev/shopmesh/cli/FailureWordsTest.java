package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the CLI says of a request that failed: in words, never an exception's class name when there are words. */
class FailureWordsTest {

  @Test
  void anUnknownHostIsNotARefusedConnection() {
    // As Java's HTTP client reports it: a ConnectException around one around the resolver's.
    ConnectException inner = new ConnectException();
    inner.initCause(new UnresolvedAddressException());
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(inner);
    assertThat(OrderLoad.describe(unresolved)).isEqualTo("the host name does not resolve");
    assertThat(OrderLoad.describe(new ConnectException())).isEqualTo("connection refused");
  }

  @Test
  void anyOtherFailureIsItsMessage() {
    assertThat(OrderLoad.describe(new IOException("Is a directory"))).isEqualTo("Is a directory");
    assertThat(OrderLoad.describe(new IOException())).isEqualTo("IOException");
  }
}
