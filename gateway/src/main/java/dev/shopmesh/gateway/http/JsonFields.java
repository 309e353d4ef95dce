package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.error.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;

/**
 * Typed reads of request JSON. A value of the wrong type is a 400 naming the field by its path
 * ({@code items[1].quantity}); a missing text, object or list reads as empty, and the service's own
 * rules then say what is required. A missing number is refused here: protobuf would carry it as 0,
 * and the service could only say "got 0" of a value the caller never sent.
 */
final class JsonFields {

  private JsonFields() {
  }

  static String string(JsonObject json, String path, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s)) {
      throw Failure.invalid(path + key + " must be a string");
    }
    if (!wellFormed(s)) {
      // JSON's "\\ud800" alone: protobuf would carry it on as '?', changing what the caller sent.
      throw Failure.invalid(path + key + " must be valid Unicode text, without a lone surrogate escape (\\ud800-\\udfff)");
    }
    return s;
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static int integer(JsonObject json, String path, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      throw Failure.invalid(path + key + " is required");
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
      throw Failure.invalid(path + key + " must be a whole number");
    }
    if (!(value instanceof Integer)) {
      throw Failure.invalid(path + key + " is out of range, got " + value);
    }
    return ((Number) value).intValue();
  }

  static JsonObject object(JsonObject json, String path, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject o)) {
      throw Failure.invalid(path + key + " must be an object");
    }
    return o;
  }

  static JsonArray array(JsonObject json, String path, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray a)) {
      throw Failure.invalid(path + key + " must be an array");
    }
    return a;
  }
}
