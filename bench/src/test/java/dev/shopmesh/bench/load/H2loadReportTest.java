package dev.shopmesh.bench.load;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser against outputs captured from h2load 1.52 (Debian 12), good runs and failed ones. */
class H2loadReportTest {

  @Test
  void readsATimedGrpcRun() throws IOException {
    H2loadReport r = H2loadReport.parse(fixture("grpc-timed-ok.txt"));

    assertThat(r.requestsPerSecond()).isEqualTo(37_960.00);
    assertThat(r.total()).isEqualTo(37_960);
    assertThat(r.done()).isEqualTo(37_960);
    assertThat(r.succeeded()).isEqualTo(37_960);
    assertThat(r.status2xx()).isEqualTo(37_960);
    assertThat(r.bytesTotal()).isEqualTo(2_277_652);
    assertThat(r.bytesHeaders()).isEqualTo(148_228);
    assertThat(r.bytesData()).isEqualTo(937_688);
    assertThat(r.bytesPerCall()).isCloseTo(60.0, Offset.offset(0.01));
    assertThat(r.requestTimeMinMicros()).isEqualTo(181);
    assertThat(r.requestTimeMaxMicros()).isEqualTo(6_160);
    assertThat(r.requestTimeMeanMicros()).isEqualTo(835);
    assertThat(r.errors()).isZero();
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void countsNon2xxAnswersAsErrors() throws IOException {
    H2loadReport r = H2loadReport.parse(fixture("h1-count-404.txt"));

    assertThat(r.done()).isEqualTo(20);
    assertThat(r.status4xx()).isEqualTo(20);
    assertThat(r.errors()).isEqualTo(20);
    assertThat(r.problems()).singleElement().asString().contains("20 of 20 requests failed", "20 4xx");
    assertThat(r.requestTimeMeanMicros()).isEqualTo(3_600);
  }

  @Test
  void countsRefusedConnectionsAsErrors() throws IOException {
    H2loadReport r = H2loadReport.parse(fixture("count-refused.txt"));

    assertThat(r.errored()).isEqualTo(10);
    assertThat(r.errors()).isEqualTo(10);
    assertThat(r.problems()).first().asString().contains("no request completed");
  }

  @Test
  void aTimedRunThatSentNothingIsAnErrorThoughH2loadCountsNoFailure() throws IOException {
    H2loadReport r = H2loadReport.parse(fixture("timed-refused.txt"));

    assertThat(r.total()).isZero();
    assertThat(r.failed()).isZero();
    assertThat(r.errors()).isEqualTo(1);
    assertThat(r.problems()).isNotEmpty();
  }

  @Test
  void moreAnswersThanRequestsInATimedRunIsNoError() throws IOException {
    // Captured: a response whose headers came in the main phase but which ended after it counts
    // as 2xx without counting as done.
    H2loadReport r = H2loadReport.parse(fixture("grpc-timed-ok.txt")
      .replace("status codes: 37960 2xx", "status codes: 37962 2xx"));

    assertThat(r.errors()).isZero();
  }

  @Test
  void failsNamingTheMissingLine() {
    assertThatThrownBy(() -> H2loadReport.parse("starting benchmark...\nconnect to 127.0.0.1 failed\n"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("finished in");
  }

  @Test
  void readsH2loadDurations() {
    assertThat(H2loadReport.micros("141us")).isEqualTo(141);
    assertThat(H2loadReport.micros("1.34ms")).isEqualTo(1_340);
    assertThat(H2loadReport.micros("2.50s")).isEqualTo(2_500_000);
    assertThatThrownBy(() -> H2loadReport.micros("3min")).isInstanceOf(IllegalArgumentException.class);
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = H2loadReportTest.class.getResourceAsStream("/h2load/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
