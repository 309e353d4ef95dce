package dev.shopmesh.bench.load;

import dev.shopmesh.bench.plan.Calls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class H2loadCommandTest {

  @TempDir
  Path work;

  @Test
  void aGrpcCallPostsTheFramedMessageWithGrpcHeaders() throws Exception {
    Path log = work.resolve("log.tsv");
    List<String> command = new H2load(work, List.of()).command(50051, Calls.SAY_HELLO, new Scenario.Shape(16, 32), RunLength.timed(4, 1), log);

    assertThat(String.join(" ", command)).isEqualTo("h2load -c 16 -m 32 -t 1 --log-file=" + log
      + " -D 4 --warm-up-time 1 -d " + work.resolve("SayHello.body")
      + " -H content-type: application/grpc -H te: trailers http://127.0.0.1:50051/greeting.GreetingService/SayHello");
    assertThat(Files.readAllBytes(work.resolve("SayHello.body"))).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void theReportedCommandCanBePastedIntoAShell() {
    assertThat(H2load.shellWords(List.of("h2load", "-H", "te: trailers", "http://127.0.0.1:1/a.B/C")))
      .isEqualTo("h2load -H 'te: trailers' http://127.0.0.1:1/a.B/C");
  }

  @Test
  void aRestCallIsAnHttp11GetAndAPinnedH2loadRunsUnderTaskset() throws Exception {
    List<String> command = new H2load(work, List.of("taskset", "-c", "0")).command(8080, Calls.HEALTH,
      new Scenario.Shape(64, 1), RunLength.requests(10), work.resolve("l"));

    assertThat(command).startsWith("taskset", "-c", "0", "h2load").contains("--h1").doesNotContain("-d")
      .endsWith("http://127.0.0.1:8080/health");
    // h2load needs at least one request per connection.
    assertThat(String.join(" ", command)).contains("-n 64");
  }
}
