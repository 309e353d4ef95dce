package dev.shopmesh.platform.rpc;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcMessagesTest {

  @Test
  void printableAsciiStaysAsItIsAndTheRestIsPercentEncodedUtf8() {
    assertThat(GrpcMessages.encode("a, b: c; d/e 'f' é % +")).isEqualTo("a, b: c; d/e 'f' %C3%A9 %25 %2B");
  }

  @Test
  void spacesAroundAMessageAreLeftOut() {
    assertThat(GrpcMessages.encode(" oneof field is set twice ")).isEqualTo("oneof field is set twice");
  }

  @Test
  void aUrlEncodedMessageIsReEncoded() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("grpc-message", "a%2C%20b%3A%20%C3%A9%2B");
    GrpcMessages.respec(headers);
    assertThat(headers.get("grpc-message")).isEqualTo("a, b: %C3%A9%2B");
  }
}
