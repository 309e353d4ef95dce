package dev.shopmesh.bench.load;

import greeting.Greeting.HelloRequest;
import greeting.Greeting.HelloResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcFramesTest {

  @Test
  void anEmptyRequestIsFiveZeroBytes() {
    assertThat(GrpcFrames.frame(HelloRequest.getDefaultInstance())).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void splitsABodyIntoItsMessages() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(GrpcFrames.frame(HelloResponse.newBuilder().setMessage("Hello World!").build()));
    body.write(GrpcFrames.frame(HelloResponse.getDefaultInstance()));

    var messages = GrpcFrames.split(body.toByteArray());

    assertThat(messages).hasSize(2);
    assertThat(HelloResponse.parseFrom(messages.get(0)).getMessage()).isEqualTo("Hello World!");
    assertThat(messages.get(1)).isEmpty();
  }

  @Test
  void refusesATruncatedBody() {
    assertThatThrownBy(() -> GrpcFrames.split(new byte[] {0, 0, 0, 0, 9, 1, 2})).hasMessageContaining("only 2 left");
    assertThatThrownBy(() -> GrpcFrames.split(new byte[] {0, 0})).hasMessageContaining("prefix");
  }
}
