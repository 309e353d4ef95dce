package dev.shopmesh.bench.load;

import com.google.protobuf.MessageLite;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * gRPC's length-prefixed messages (one byte compressed flag, four bytes big-endian length, the
 * protobuf bytes): what h2load must send as a request body, and how a response body splits.
 */
public final class GrpcFrames {

  private static final int PREFIX = 5;

  private GrpcFrames() {
  }

  /** One uncompressed message; an empty message is {@code 00 00 00 00 00}. */
  public static byte[] frame(MessageLite message) {
    byte[] payload = message.toByteArray();
    return ByteBuffer.allocate(PREFIX + payload.length).put((byte) 0).putInt(payload.length).put(payload).array();
  }

  /** The messages of a body; fails on a compressed message or a body that does not split exactly. */
  public static List<byte[]> split(byte[] body) {
    List<byte[]> messages = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(body);
    while (in.hasRemaining()) {
      if (in.remaining() < PREFIX) {
        throw new IllegalArgumentException("body ends inside a message prefix");
      }
      if (in.get() != 0) {
        throw new IllegalArgumentException("compressed message: the benchmark asks for none");
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("message of " + length + " bytes, only " + in.remaining() + " left in the body");
      }
      byte[] message = new byte[length];
      in.get(message);
      messages.add(message);
    }
    return messages;
  }
}
