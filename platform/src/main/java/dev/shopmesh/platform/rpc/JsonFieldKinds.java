package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Misspelling;
import dev.shopmesh.platform.json.StrictJson;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kinds of JSON values a message's fields hold, checked against its descriptor as proto3's
 * JSON mapping defines them, before protobuf's parser reads the message. That parser (Gson,
 * lenient) took a number or {@code true} for a string, so {@code "customerId": 5} placed an order
 * for customer "5", and an array for a single value, so {@code {"name": ["Ann"]}} said Hello Ann,
 * where the HTTP API refuses both, naming the field. An unknown field is refused where it is:
 * protobuf named it and its type, not where it was ({@code Cannot find field: price in message
 * shop.order.v1.OrderItem}, for {@code items[0].price}). A field of a well-known type (Timestamp,
 * wrappers, Struct) is left to protobuf, as it has forms of its own, and so is an extension's
 * {@code [name]}.
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
      String name = path + entry.getKey();
      if (field == null && !entry.getKey().startsWith("[")) {
        return name + " is not a field of " + type.getFullName() + Misspelling.of(entry.getKey(),
          type.getFields().stream().map(FieldDescriptor::getJsonName).toList()).map(meant -> " (did you mean " + meant + "?)").orElse("");
      }
      // null is any field's default, in proto3's mapping.
      if (field == null || entry.getValue() == null) {
        continue;
      }
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
    String wrong = switch (field.getJavaType()) {
      case STRING -> !(value instanceof String text) ? " must be a string" : StrictJson.wellFormed(text) ? null : StrictJson.NOT_WELL_FORMED;
      case BYTE_STRING -> value instanceof String ? null : " must be a string";
      case BOOLEAN -> value instanceof Boolean ? null : " must be true or false";
      // Numbers may come as text too ("12", "NaN"): 64-bit ones must, for JavaScript's sake.
      case INT, LONG -> whole(value, field.getType());
      case FLOAT, DOUBLE -> value instanceof Number || value instanceof String text && (NAMED_NUMBERS.contains(text) || decimal(text) != null)
        ? null : " must be a number";
      // A value's number is taken too, as text or not (an int32, as protobuf reads it).
      case ENUM -> value instanceof String text && field.getEnumType().findValueByName(text) != null
        || whole(value, FieldDescriptor.Type.INT32) == null
        ? null : " must be the name of one of its values (" + field.getEnumType().getValues().stream()
          .map(EnumValueDescriptor::getName).collect(Collectors.joining(", ")) + ")";
      case MESSAGE -> value instanceof JsonObject || wellKnown(field.getMessageType()) ? null : " must be an object";
    };
    if (wrong != null) {
      return name + wrong;
    }
    return value instanceof JsonObject object && !wellKnown(field.getMessageType())
      ? object(object, field.getMessageType(), name + ".") : null;
  }

  /**
   * What is wrong with {@code value} for an integer field of {@code type}, null when nothing is.
   * protobuf's parser said only {@code Not an int32 value: "x"}, not which field, for text, a
   * fraction or a number out of the type's range.
   */
  private static String whole(Object value, FieldDescriptor.Type type) {
    BigDecimal number = value instanceof Number || value instanceof String ? decimal(value.toString()) : null;
    BigDecimal[] range = switch (type) {
      case UINT32, FIXED32 -> UINT32;
      case INT64, SINT64, SFIXED64 -> INT64;
      case UINT64, FIXED64 -> UINT64;
      default -> INT32;
    };
    // Compared as decimals: 1e999999999 made into an integer would take a billion digits.
    boolean right = number != null && number.stripTrailingZeros().scale() <= 0
      && number.compareTo(range[0]) >= 0 && number.compareTo(range[1]) <= 0;
    return right ? null : " must be a whole number from " + range[0].toPlainString() + " to " + range[1].toPlainString();
  }

  /**
   * {@code text} as a decimal number (JSON's syntax, or Java's: "1e3", "12"), null when it is none
   * or longer than any a field takes: reading a number, and stripping its zeros, takes time growing
   * with the square of its digits, on the event loop (a million digits fit in a message).
   */
  private static BigDecimal decimal(String text) {
    if (text.length() > LONGEST_NUMBER) {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Far more characters than any value of a field needs (a double that reads back exactly takes at most 24). */
  private static final int LONGEST_NUMBER = 100;
  /** The values of floating-point fields the JSON mapping writes as text. */
  private static final Set<String> NAMED_NUMBERS = Set.of("NaN", "Infinity", "-Infinity");
  private static final BigDecimal[] INT32 = {BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE)};
  private static final BigDecimal[] UINT32 = {BigDecimal.ZERO, new BigDecimal(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE))};
  private static final BigDecimal[] INT64 = {BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE)};
  private static final BigDecimal[] UINT64 = {BigDecimal.ZERO, new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))};

  private static boolean wellKnown(Descriptor type) {
    return WELL_KNOWN.contains(type.getFullName());
  }

  /** The types proto3's JSON mapping writes in forms of their own (a Timestamp as text, a wrapper as its value). */
  private static final Set<String> WELL_KNOWN = Stream.of("Any", "Duration", "Timestamp", "FieldMask", "Struct", "Value",
      "ListValue", "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value", "BoolValue",
      "StringValue", "BytesValue")
    .map(name -> "google.protobuf." + name).collect(Collectors.toUnmodifiableSet());
}
