package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.error.Misspelling;
import dev.shopmesh.platform.json.StrictJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.Set;

/**
 * Typed reads of request JSON. A value of the wrong type is a 400 naming the field by its path
 * ({@code items[1].quantity}); a missing text, object or list reads as empty, and the service's own
 * rules then say what is required. A missing number is refused here: protobuf would carry it as 0,
 * and the service could only say "got 0" of a value the caller never sent.
 */
final class JsonFields {

  private JsonFields() {
  }

  /**
   * Refuses a field of {@code json} that is not one of {@code fields} but a typo of one the request
   * lacks: a field not known is ignored, for callers newer than this gateway (one beside the field
   * it resembles is such a field, {@code customerIp} beside {@code customerId}), but {@code "item"}
   * for {@code "items"} was answered "items must contain at least one item", naming the field the
   * caller sent.
   */
  static void noMisspelt(JsonObject json, String path, Set<String> fields) {
    Misspelling.typoAmong(json.fieldNames(), fields).ifPresent(typo -> {
      throw Failure.invalid(path + typo.getKey() + " is not a field here (did you mean " + path + typo.getValue() + "?)");
    });
  }

  static String string(JsonObject json, String path, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s)) {
      throw Failure.invalid(path + key + " must be a string");
    }
    if (!StrictJson.wellFormed(s)) {
      throw Failure.invalid(path + key + StrictJson.NOT_WELL_FORMED);
    }
    return s;
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
