package dev.shopmesh.platform.rpc;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcHeaderNames;

import java.nio.charset.StandardCharsets;

/**
 * {@code grpc-message} as the gRPC spec encodes it: UTF-8, percent-encoding only what is not
 * printable ASCII, and {@code %}. vertx-grpc 5.0.7 encodes it as a URL query value instead, every
 * {@code ,:;/'} and more percent-encoded, and grpc-js decodes it with JavaScript's
 * {@code decodeURI}, which leaves {@code %2C}, {@code %3A}, {@code %3B}... as they are: the
 * Node.js client showed "must be between 1 and 1000%2C got 0".
 */
final class GrpcMessages {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcMessages() {
  }

  /**
   * {@code message} encoded for the header. {@code +} is encoded too: Vert.x's own clients decode
   * the header as a URL query value, where a bare {@code +} reads as a space. Spaces around it are
   * left out: an HTTP/2 header value may not end in one, and Node.js's client dropped the message of
   * such a header whole (protobuf's JSON parser ends some of its own with a space).
   */
  static String encode(String message) {
    StringBuilder encoded = new StringBuilder(message.length());
    for (byte b : message.strip().getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%' && c != '+') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return encoded.toString();
  }

  /** Re-encodes a {@code grpc-message} that vertx-grpc put in {@code headers} (headers or trailers). */
  static void respec(MultiMap headers) {
    String message = headers.get(GrpcHeaderNames.GRPC_MESSAGE);
    if (message != null) {
      headers.set(GrpcHeaderNames.GRPC_MESSAGE, encode(QueryStringDecoder.decodeComponent(message, StandardCharsets.UTF_8)));
    }
  }
}
