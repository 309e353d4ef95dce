package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the CLI says of a request that failed: in words, never an exception's class name when there are words. */
class FailureWordsTest {

  @Test
  void anUnknownHostIsNotARefusedConnection() {
    // As Java's HTTP client reports it: a ConnectException around one around the resolver's.
    ConnectException inner = new ConnectException();
    inner.initCause(new UnresolvedAddressException());
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(inner);
    assertThat(FailureWords.describe(unresolved)).isEqualTo("the host name does not resolve");
    assertThat(FailureWords.describe(new ConnectException())).isEqualTo("connection refused");
  }

  /** A certificate for localhost reached at 127.0.0.1: Java's words named no fix. */
  @Test
  void aCertificateForAnotherHostSaysWhatToChange() {
    assertThat(FailureWords.describe(new javax.net.ssl.SSLHandshakeException("No subject alternative names present")))
      .isEqualTo("the gateway's certificate is not for the host in the address (No subject alternative names present): use a name"
        + " or address the certificate lists");
  }

  @Test
  void anyOtherFailureIsItsMessage() {
    assertThat(FailureWords.describe(new IOException("Is a directory"))).isEqualTo("Is a directory");
    assertThat(FailureWords.describe(new IOException())).isEqualTo("IOException");
  }

  /** Java names only the file for these; the file is in the sentence already. */
  @Test
  void aFileThatCannotBeWrittenSaysWhy(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "");
    IOException noDirectory = assertThrows(IOException.class, () -> Files.writeString(dir.resolve("none/ids"), ""));
    assertThat(FailureWords.describe(noDirectory)).isEqualTo("no such file or directory");
    IOException fileInTheWay = assertThrows(IOException.class, () -> Files.createDirectories(file));
    assertThat(FailureWords.describe(fileInTheWay)).isEqualTo("a file is in the way");
  }
}
