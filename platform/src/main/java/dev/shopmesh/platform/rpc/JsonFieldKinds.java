package dev.shopmesh.platform.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kinds of JSON values a message's fields hold, checked against its descriptor as proto3's
 * JSON mapping defines them, before protobuf's parser reads the message. That parser (Gson,
 * lenient) took a number or {@code true} for a string, so {@code "customerId": 5} placed an order
 * for customer "5", and an array for a single value, so {@code {"name": ["Ann"]}} said Hello Ann,
 * where the HTTP API refuses both, naming the field. Unknown fields are left to protobuf, which
 * names them; a field of a well-known type (Timestamp, wrappers, Struct) too, as it has forms of
 * its own.
 */
final class JsonFieldKinds {

  private JsonFieldKinds() {
  }

  /**
   * What is wrong with the kinds of {@code json}'s values as a {@code type}, naming the field as the
   * caller wrote it ({@code items[0].quantity must be a number}); null when nothing is.
   */
  static String problem(Object json, Descriptor type) {
    if (wellKnown(type)) {
      return null;
    }
    return json instanceof JsonObject object ? object(object, type, "") : "the message must be a JSON object";
  }

  private static String object(JsonObject object, Descriptor type, String path) {
    for (Map.Entry<String, Object> entry : object) {
      FieldDescriptor field = field(type, entry.getKey());
      // null is any field's default, in proto3's mapping.
      if (field == null || entry.getValue() == null) {
        continue;
      }
      String name = path + entry.getKey();
      // A map's values are left to protobuf (no contract of ours has one): its JSON is an object.
      String problem = field.isMapField() ? (entry.getValue() instanceof JsonObject ? null : name + " must be an object")
        : field.isRepeated() ? repeated(entry.getValue(), field, name)
        : single(entry.getValue(), field, name);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** A field by its JSON name or its proto name, as the mapping accepts both. */
  private static FieldDescriptor field(Descriptor type, String key) {
    FieldDescriptor byName = type.findFieldByName(key);
    return byName != null ? byName
      : type.getFields().stream().filter(f -> f.getJsonName().equals(key)).findFirst().orElse(null);
  }

  private static String repeated(Object value, FieldDescriptor field, String name) {
    if (!(value instanceof JsonArray array)) {
      return name + " must be an array";
    }
    for (int i = 0; i < array.size(); i++) {
      String problem = array.getValue(i) == null ? null : single(array.getValue(i), field, name + "[" + i + "]");
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String single(Object value, FieldDescriptor field, String name) {
    boolean right = switch (field.getJavaType()) {
      case STRING, BYTE_STRING -> value instanceof String;
      case BOOLEAN -> value instanceof Boolean;
      // Numbers may come as text too ("12", "NaN"): 64-bit ones must, for JavaScript's sake.
      case INT, LONG, FLOAT, DOUBLE -> value instanceof Number || value instanceof String;
      case ENUM -> value instanceof String || value instanceof Number;
      case MESSAGE -> value instanceof JsonObject || wellKnown(field.getMessageType());
    };
    if (right) {
      return value instanceof JsonObject object && !wellKnown(field.getMessageType())
        ? object(object, field.getMessageType(), name + ".") : null;
    }
    return name + switch (field.getJavaType()) {
      case STRING, BYTE_STRING -> " must be a string";
      case BOOLEAN -> " must be true or false";
      case INT, LONG, FLOAT, DOUBLE -> " must be a number";
      case ENUM -> " must be the name of one of its values";
      case MESSAGE -> " must be an object";
    };
  }

  private static boolean wellKnown(Descriptor type) {
    return WELL_KNOWN.contains(type.getFullName());
  }

  /** The types proto3's JSON mapping writes in forms of their own (a Timestamp as text, a wrapper as its value). */
  private static final Set<String> WELL_KNOWN = Stream.of("Any", "Duration", "Timestamp", "FieldMask", "Struct", "Value",
      "ListValue", "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value", "BoolValue",
      "StringValue", "BytesValue")
    .map(name -> "google.protobuf." + name).collect(Collectors.toUnmodifiableSet());
}
