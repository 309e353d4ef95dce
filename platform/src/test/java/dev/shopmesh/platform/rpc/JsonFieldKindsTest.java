package dev.shopmesh.platform.rpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import dev.shopmesh.platform.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message's JSON is refused, naming the field, when a value is of the wrong kind: protobuf's
 * parser took {@code "customerId": 5} as customer "5" and {@code {"name": ["Ann"]}} as Ann.
 * (protobuf's own descriptor messages serve as a contract with every kind of field.)
 */
class JsonFieldKindsTest {

  static final Descriptor FILE = FileDescriptorProto.getDescriptor();

  static String problem(String json) throws StrictJson.Invalid {
    return JsonFieldKinds.problem(StrictJson.decode(Buffer.buffer(json)), FILE);
  }

  @Test
  void valuesOfTheKindsTheJsonMappingDefinesPass() throws StrictJson.Invalid {
    assertThat(problem("{\"name\": \"a.proto\", \"dependency\": [\"b.proto\"], \"publicDependency\": [0, \"1\"],"
      + " \"options\": {\"javaMultipleFiles\": true, \"optimizeFor\": \"SPEED\"},"
      + " \"messageType\": [{\"field\": [{\"number\": 1, \"label\": 1, \"json_name\": \"x\"}]}],"
      + " \"syntax\": null}")).isNull();
  }

  /** protobuf named the field and its type, not where it was: Cannot find field: price in message shop.order.v1.OrderItem. */
  @Test
  void anUnknownFieldIsNamedWhereItIs() throws StrictJson.Invalid {
    assertThat(problem("{\"name\": \"a.proto\", \"unknown\": 5}")).isEqualTo("unknown is not a field of google.protobuf.FileDescriptorProto");
    assertThat(problem("{\"messageType\": [{\"field\": [{\"number\": 1, \"price\": null}]}]}"))
      .isEqualTo("messageType[0].field[0].price is not a field of google.protobuf.FieldDescriptorProto");
    assertThat(problem("{\"nmae\": \"a.proto\"}")).as("a typo: named with the field meant")
      .isEqualTo("nmae is not a field of google.protobuf.FileDescriptorProto (did you mean name?)");
    assertThat(problem("{\"publicDependancy\": [1]}")).as("the guess is the JSON name, as the message is read in JSON")
      .isEqualTo("publicDependancy is not a field of google.protobuf.FileDescriptorProto (did you mean publicDependency?)");
  }

  @Test
  void aValueOfTheWrongKindIsNamedWhereItIs() throws StrictJson.Invalid {
    assertThat(problem("{\"name\": 5}")).isEqualTo("name must be a string");
    assertThat(problem("{\"name\": [\"a.proto\"]}")).isEqualTo("name must be a string");
    assertThat(problem("{\"package\": true}")).isEqualTo("package must be a string");
    assertThat(problem("{\"dependency\": \"b.proto\"}")).isEqualTo("dependency must be an array");
    assertThat(problem("{\"dependency\": [\"b.proto\", 2]}")).isEqualTo("dependency[1] must be a string");
    assertThat(problem("{\"publicDependency\": [{}]}")).isEqualTo("publicDependency[0] must be a whole number from -2147483648 to 2147483647");
    assertThat(problem("{\"options\": \"fast\"}")).isEqualTo("options must be an object");
    assertThat(problem("{\"options\": {\"java_multiple_files\": \"yes\"}}")).isEqualTo("options.java_multiple_files must be true or false");
    assertThat(problem("{\"options\": {\"optimizeFor\": true}}"))
      .isEqualTo("options.optimizeFor must be the name of one of its values (SPEED, CODE_SIZE, LITE_RUNTIME)");
    assertThat(problem("{\"messageType\": [{\"field\": [{\"number\": 1}, {\"number\": [2]}]}]}"))
      .isEqualTo("messageType[0].field[1].number must be a whole number from -2147483648 to 2147483647");
  }

  /** Half a surrogate pair, which protobuf carries on as '?': two idempotency keys so sent named one order. */
  @Test
  void textWithALoneSurrogateEscapeIsNamedWhereItIs() throws StrictJson.Invalid {
    assertThat(problem("{\"name\": \"\\ud800x\"}")).isEqualTo("name" + StrictJson.NOT_WELL_FORMED);
    assertThat(problem("{\"dependency\": [\"b\", \"\\udc00\"]}")).isEqualTo("dependency[1]" + StrictJson.NOT_WELL_FORMED);
    assertThat(problem("{\"name\": \"\\ud83d\\ude00\"}")).as("a whole pair").isNull();
  }

  /** protobuf's parser named the value, not the field: {@code Not an int32 value: "x"}. */
  @Test
  void aNumberThatIsNoValueOfItsFieldsTypeIsNamedWhereItIs() throws StrictJson.Invalid {
    String int32 = " must be a whole number from -2147483648 to 2147483647";
    assertThat(problem("{\"publicDependency\": [\"x\"]}")).isEqualTo("publicDependency[0]" + int32);
    assertThat(problem("{\"publicDependency\": [1.5]}")).isEqualTo("publicDependency[0]" + int32);
    assertThat(problem("{\"publicDependency\": [3000000000]}")).isEqualTo("publicDependency[0]" + int32);
    assertThat(problem("{\"publicDependency\": [\"1e999999999\"]}")).isEqualTo("publicDependency[0]" + int32);
    assertThat(problem("{\"options\": {\"uninterpretedOption\": [{\"positiveIntValue\": -1}]}}"))
      .isEqualTo("options.uninterpretedOption[0].positiveIntValue must be a whole number from 0 to 18446744073709551615");
    assertThat(problem("{\"options\": {\"uninterpretedOption\": [{\"doubleValue\": \"lots\"}]}}"))
      .isEqualTo("options.uninterpretedOption[0].doubleValue must be a number");
    assertThat(problem("{\"options\": {\"optimizeFor\": \"FAST\"}}"))
      .isEqualTo("options.optimizeFor must be the name of one of its values (SPEED, CODE_SIZE, LITE_RUNTIME)");
    assertThat(problem("{\"options\": {\"optimizeFor\": 1.5}}"))
      .isEqualTo("options.optimizeFor must be the name of one of its values (SPEED, CODE_SIZE, LITE_RUNTIME)");
  }

  /** Reading a number takes time growing with the square of its digits, and a message holds a million. */
  @Test
  @Timeout(10) // Without the limit, minutes on an event loop.
  void aNumberLongerThanAnyFieldTakesIsRefusedAtOnce() throws StrictJson.Invalid {
    String million = "1." + "0".repeat(1_000_000);
    long started = System.nanoTime();
    assertThat(problem("{\"publicDependency\": [\"" + million + "\"], \"options\": {\"uninterpretedOption\": [{\"doubleValue\": \""
      + million + "\"}]}}")).isEqualTo("publicDependency[0] must be a whole number from -2147483648 to 2147483647");
    assertThat(problem("{\"options\": {\"uninterpretedOption\": [{\"doubleValue\": \"" + million + "\"}]}}"))
      .isEqualTo("options.uninterpretedOption[0].doubleValue must be a number");
    System.out.printf("two numbers of a million digits refused in %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @Test
  void numbersTheJsonMappingAllowsPass() throws StrictJson.Invalid {
    assertThat(problem("{\"publicDependency\": [0, -2147483648, 2147483647, \"12\", 2.0, \"1e3\"],"
      + " \"options\": {\"optimizeFor\": 2, \"optimize_for\": \"3\", \"uninterpretedOption\": [{\"positiveIntValue\": \"18446744073709551615\","
      + " \"negativeIntValue\": \"-9223372036854775808\", \"doubleValue\": \"-Infinity\"}, {\"doubleValue\": 0.5}]}}")).isNull();
  }

  @Test
  void aMessageIsAnObject() throws StrictJson.Invalid {
    assertThat(problem("[]")).isEqualTo("the message must be a JSON object");
    assertThat(problem("\"a.proto\"")).isEqualTo("the message must be a JSON object");
  }
}
