package dev.shopmesh.bench.check;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.shopmesh.bench.load.GrpcFrames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The answers the benchmark's calls must get, checked down to the messages. */
public final class Expectations {

  private Expectations() {
  }

  /** Parses one gRPC message, failing on bytes that are not one. */
  @FunctionalInterface
  public interface MessageCheck {
    String problem(byte[] message) throws InvalidProtocolBufferException;
  }

  /** HTTP 200, grpc-status 0 and exactly {@code messages} messages, each passing {@code each}. */
  public static Expectation grpc(int messages, MessageCheck each) {
    return reply -> {
      if (reply.status() != 200) {
        return "HTTP " + reply.status();
      }
      if (!"0".equals(reply.grpcStatus())) {
        return "grpc-status " + reply.grpcStatus() + " (" + reply.grpcMessage() + ")";
      }
      List<byte[]> received = GrpcFrames.split(reply.body());
      if (received.size() != messages) {
        return received.size() + " messages, expected " + messages;
      }
      for (byte[] message : received) {
        String problem = each.problem(message);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    };
  }

  /** HTTP 200 with a JSON object body passing {@code check}. */
  public static Expectation jsonObject(java.util.function.Function<JsonObject, String> check) {
    return reply -> reply.status() != 200 ? "HTTP " + reply.status() : check.apply(new JsonObject(text(reply)));
  }

  /** HTTP 200 with a JSON array of {@code size} elements. */
  public static Expectation jsonArray(int size) {
    return reply -> {
      if (reply.status() != 200) {
        return "HTTP " + reply.status();
      }
      int actual = new JsonArray(text(reply)).size();
      return actual == size ? null : "a JSON array of " + actual + ", expected " + size;
    };
  }

  private static String text(Reply reply) {
    return new String(reply.body(), StandardCharsets.UTF_8);
  }
}
