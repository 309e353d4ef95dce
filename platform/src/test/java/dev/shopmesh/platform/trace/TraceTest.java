package dev.shopmesh.platform.trace;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a caller's W3C trace context, and carrying it on. */
class TraceTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void aValidTraceparentIsContinuedUnderANewSpanWithItsFlagsAndState() {
    Trace trace = Trace.of(headers("00-" + TRACE + "-00f067aa0ba902b7-01").add("tracestate", "vendor=x").add("tracestate", "other=y"));
    assertThat(trace.traceId()).isEqualTo(TRACE);
    assertThat(trace.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
    MultiMap call = MultiMap.caseInsensitiveMultiMap();
    trace.carryOn(call);
    assertThat(call.get("traceparent")).isEqualTo("00-" + TRACE + "-" + trace.spanId() + "-01");
    assertThat(call.get("tracestate")).isEqualTo("vendor=x,other=y");
  }

  @Test
  void aLaterVersionIsReadAsVersion00() {
    assertThat(Trace.of(headers("cc-" + TRACE + "-00f067aa0ba902b7-01-what-comes-later")).traceId()).isEqualTo(TRACE);
  }

  /** Only the sampled flag is defined: the others are not passed on. */
  @ParameterizedTest
  @ValueSource(strings = {"ff:01", "fe:00", "01:01", "00:00", "02:00"})
  void onlyTheSampledFlagIsPassedOn(String sentAndKept) {
    String[] flags = sentAndKept.split(":");
    assertThat(Trace.of(headers("00-" + TRACE + "-00f067aa0ba902b7-" + flags[0])).flags()).isEqualTo(flags[1]);
  }

  @Test
  void twoTraceparentsStartANewTrace() {
    Trace trace = Trace.of(headers("00-" + TRACE + "-00f067aa0ba902b7-01").add("traceparent", "00-" + TRACE + "-00f067aa0ba902b8-01"));
    assertThat(trace.traceId()).isNotEqualTo(TRACE);
  }

  /** Every call the request makes would carry it: a caller's 8 KB one would put their headers over a server's limit. */
  @Test
  void aTracestateTooLongOrWithTooManyMembersIsDropped() {
    String parent = "00-" + TRACE + "-00f067aa0ba902b7-01";
    assertThat(Trace.of(headers(parent).add("tracestate", "v=" + "x".repeat(510))).state()).isNotNull();
    assertThat(Trace.of(headers(parent).add("tracestate", "v=" + "x".repeat(511))).state()).isNull();
    String members = java.util.stream.IntStream.range(0, 32).mapToObj(i -> "v" + i + "=x").collect(java.util.stream.Collectors.joining(","));
    assertThat(Trace.of(headers(parent).add("tracestate", members)).state()).isEqualTo(members);
    assertThat(Trace.of(headers(parent).add("tracestate", members + ",v32=x")).state()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
    ""})
  void anInvalidTraceparentStartsANewTraceAndDropsTheState(String header) {
    Trace trace = Trace.of(headers(header).add("tracestate", "vendor=x"));
    assertThat(trace.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE).isNotEqualTo("0".repeat(32));
    assertThat(trace.header()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    assertThat(trace.state()).isNull();
  }

  @Test
  void newTracesDiffer() {
    assertThat(Trace.of(MultiMap.caseInsensitiveMultiMap()).traceId())
      .isNotEqualTo(Trace.of(MultiMap.caseInsensitiveMultiMap()).traceId());
  }

  private static MultiMap headers(String traceparent) {
    return MultiMap.caseInsensitiveMultiMap().add("traceparent", traceparent);
  }
}
