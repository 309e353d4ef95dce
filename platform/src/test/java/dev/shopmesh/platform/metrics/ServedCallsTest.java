package dev.shopmesh.platform.metrics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a Prometheus server reads of a server's answered calls: counters by outcome, and cumulative latency buckets. */
class ServedCallsTest {

  @Test
  void countsEachOutcomeAndBucketsEachLatency() {
    ServedCalls calls = new ServedCalls(new ServedCalls.Names("test_call", "Calls answered", kind -> "kind=\"" + Prometheus.label(kind) + "\""));
    calls.record("b", "OK", TimeUnit.MICROSECONDS.toNanos(500));
    calls.record("b", "OK", TimeUnit.MILLISECONDS.toNanos(1));
    calls.record("b", "NOT_FOUND", TimeUnit.MILLISECONDS.toNanos(30));
    calls.record("a \"quoted\"", "OK", TimeUnit.SECONDS.toNanos(11));

    StringBuilder out = new StringBuilder();
    calls.writeTo(out);
    assertThat(out.toString()).isEqualTo("""
      # HELP test_calls_total Calls answered, and how each ended (code).
      # TYPE test_calls_total counter
      test_calls_total{kind="a \\"quoted\\"",code="OK"} 1
      test_calls_total{kind="b",code="NOT_FOUND"} 1
      test_calls_total{kind="b",code="OK"} 2
      # HELP test_call_duration_seconds Seconds from the request to the end of the answer: Calls answered.
      # TYPE test_call_duration_seconds histogram
      """ + buckets("a \\\"quoted\\\"", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) + """
      test_call_duration_seconds_sum{kind="a \\"quoted\\""} 11.0
      test_call_duration_seconds_count{kind="a \\"quoted\\""} 1
      """ + buckets("b", 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3) + """
      test_call_duration_seconds_sum{kind="b"} 0.0315
      test_call_duration_seconds_count{kind="b"} 3
      """);
  }

  /** A label value with a line feed, a backslash or a quote stays on its series' line, escaped as the format says. */
  @Test
  void aLabelValueWithALineFeedStaysOnOneLine() {
    assertThat(Prometheus.label("a\nb\\c\"d")).isEqualTo("a\\nb\\\\c\\\"d");
    ServedCalls calls = new ServedCalls(new ServedCalls.Names("test_call", "Calls answered", kind -> "kind=\"" + Prometheus.label(kind) + "\""));
    calls.record("two\nlines", "OK", 1);
    StringBuilder out = new StringBuilder();
    calls.writeTo(out);
    assertThat(out.toString().lines().filter(line -> !line.startsWith("#")))
      .allSatisfy(line -> assertThat(line).startsWith("test_call"));
    assertThat(out.toString()).contains("test_calls_total{kind=\"two\\nlines\",code=\"OK\"} 1\n");
  }

  /** What a replica publishes with its heartbeat: counts by outcome, and cumulative buckets with their sum. */
  @Test
  void publishesTheCountsAndTheBucketsAsJson() {
    ServedCalls calls = new ServedCalls(new ServedCalls.Names("test_call", "Calls answered", kind -> "kind=\"" + kind + "\""));
    calls.record("b", "OK", TimeUnit.MICROSECONDS.toNanos(500));
    calls.record("b", "NOT_FOUND", TimeUnit.MILLISECONDS.toNanos(30));

    assertThat(calls.toJson()).isEqualTo(new JsonObject("""
      {"calls":{"b":{"NOT_FOUND":1,"OK":1}},
       "latency":{"b":{"buckets":[1,1,1,1,1,2,2,2,2,2,2,2,2,2],"sum":0.0305}}}
      """));
    StringBuilder out = new StringBuilder();
    ServedCalls.writeHistogram(out, "test_call_duration_seconds", "kind=\"b\"", calls.toJson().getJsonObject("latency").getJsonObject("b"));
    assertThat(out.toString()).isEqualTo(buckets("b", 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2) + """
      test_call_duration_seconds_sum{kind="b"} 0.0305
      test_call_duration_seconds_count{kind="b"} 2
      """);
  }

  /** The cumulative {@code _bucket} lines of one kind, {@code le} from 1 ms to +Inf. */
  private static String buckets(String kind, long... counts) {
    String[] le = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < le.length; i++) {
      out.append("test_call_duration_seconds_bucket{kind=\"").append(kind).append("\",le=\"").append(le[i]).append("\"} ")
        .append(counts[i]).append('\n');
    }
    return out.toString();
  }
}
