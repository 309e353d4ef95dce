package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shopmesh up} refusing to start: nothing is started, and the message says what to change. */
class UpCommandTest {

  @TempDir
  Path dir;

  @Test
  void aGatewayPortInUseIsAUsageErrorNamingItAndNothingStarts() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int freePort = free.getLocalPort();
      free.close();
      StringWriter err = new StringWriter();
      CommandLine cli = ShopmeshCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      Path data = dir.resolve("data");

      int exit = cli.execute("up", "--data-dir", data.toString(), "--grpc-port", String.valueOf(freePort),
        "--http-port", String.valueOf(taken.getLocalPort()));

      assertThat(exit).isEqualTo(2);
      assertThat(err.toString()).contains("--http-port " + taken.getLocalPort() + " is in use by another process");
      assertThat(Files.exists(data)).as("the data directory, made by the first service to start").isFalse();
    }
  }

  @Test
  void aDataDirectoryAnotherUpIsUsingIsAUsageErrorNamingIt() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    try (FileChannel other = FileChannel.open(data.resolve(".up.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock held = other.lock();
         ServerSocket grpc = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int grpcPort = grpc.getLocalPort();
      int httpPort = http.getLocalPort();
      grpc.close();
      http.close();
      StringWriter err = new StringWriter();
      CommandLine cli = ShopmeshCli.commandLine();
      cli.setErr(new PrintWriter(err, true));

      int exit = cli.execute("up", "--data-dir", data.toString(), "--grpc-port", String.valueOf(grpcPort),
        "--http-port", String.valueOf(httpPort));

      assertThat(exit).isEqualTo(2);
      assertThat(err.toString()).contains("--data-dir " + data + " is in use by another ./shopmesh up");
      assertThat(Files.list(data).map(p -> p.getFileName().toString())).as("nothing started on it").containsOnly(".up.lock");
    }
  }

  /** A template's empty variable: the databases went into the current directory. */
  @Test
  void anEmptyDataDirectoryIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("up", "--data-dir", "", "--grpc-port", "34998", "--http-port", "34999");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--data-dir must name a directory, got an empty value");
  }

  @Test
  void theSamePortForGrpcAndHttpIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("up", "--data-dir", dir.resolve("data").toString(), "--grpc-port", "34999", "--http-port", "34999");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--grpc-port and --http-port must differ, both are 34999");
  }

  /** The README's SHOPMESH_HTTP_PORT, SHOPMESH_GRPC_PORT and SHOPMESH_DATA_DIR hold for up too, as its defaults. */
  @Test
  void theEnvironmentGivesUpItsDefaultPortsAndDataDirectory() throws Exception {
    ProcessBuilder child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), ShopmeshCli.class.getName(), "up", "--help"));
    child.environment().put("SHOPMESH_HTTP_PORT", "18181");
    child.environment().put("SHOPMESH_GRPC_PORT", "15151");
    child.environment().put("SHOPMESH_DATA_DIR", "/srv/shop-data");
    child.redirectErrorStream(true);
    Process help = child.start();
    assertThat(help.waitFor(60, TimeUnit.SECONDS)).as("up --help exits").isTrue();
    String usage = new String(help.getInputStream().readAllBytes());

    assertThat(usage).contains("(default: 18181)", "(default: 15151)", "(default: /srv/shop-data)");

    // The other commands then find the gateway up started: they looked on localhost:8080 whatever
    // the port and address.
    for (String command : List.of("order", "status", "audit")) {
      List<String> line = new java.util.ArrayList<>(child.command().subList(0, child.command().size() - 2));
      line.addAll(List.of(command, "--help"));
      ProcessBuilder other = new ProcessBuilder(line);
      other.environment().put("SHOPMESH_HTTP_PORT", "18181");
      other.environment().put("SHOPMESH_HTTP_HOST", "127.0.0.2");
      other.redirectErrorStream(true);
      Process otherHelp = other.start();
      assertThat(otherHelp.waitFor(60, TimeUnit.SECONDS)).as(command + " --help exits").isTrue();
      assertThat(new String(otherHelp.getInputStream().readAllBytes())).as(command)
        .contains("(default: http://127.0.0.2:18181)");
    }

    // A port in the environment that is none is blamed on the environment, not on a --gateway nobody typed.
    List<String> status = new java.util.ArrayList<>(child.command().subList(0, child.command().size() - 2));
    status.add("status");
    ProcessBuilder badPort = new ProcessBuilder(status);
    badPort.environment().put("SHOPMESH_HTTP_PORT", "abc");
    badPort.redirectErrorStream(true);
    Process blamed = badPort.start();
    assertThat(blamed.waitFor(60, TimeUnit.SECONDS)).as("status exits").isTrue();
    assertThat(new String(blamed.getInputStream().readAllBytes()))
      .contains("got 'http://localhost:abc' (from SHOPMESH_HTTP_HOST, SHOPMESH_HOST or SHOPMESH_HTTP_PORT)");

    ProcessBuilder zero = new ProcessBuilder(child.command().subList(0, child.command().size() - 1))
      .redirectErrorStream(true);
    zero.environment().put("SHOPMESH_GRPC_PORT", "0");
    Process refused = zero.start();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as("up exits").isTrue();
    assertThat(new String(refused.getInputStream().readAllBytes()))
      .as("names the variable to change, not an option nobody typed")
      .contains("--grpc-port must be between 1 and 65535, got 0 (from SHOPMESH_GRPC_PORT)");

    zero.environment().put("SHOPMESH_GRPC_PORT", "fifty");
    Process notANumber = zero.start();
    assertThat(notANumber.waitFor(60, TimeUnit.SECONDS)).as("up exits").isTrue();
    assertThat(new String(notANumber.getInputStream().readAllBytes()))
      .contains("Invalid value for option '--grpc-port': 'fifty' is not an int (from SHOPMESH_GRPC_PORT)");
  }

  /**
   * A bad value found as a service reads its settings exits 2, as up's help says of a bad setting:
   * a deadline of 0 exited 1, while a bad log level, read earlier, exited 2. Said with the logs off too.
   */
  @Test
  void aBadValueOfASettingExitsWithTwoSayingWhy() throws Exception {
    ProcessBuilder up = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), ShopmeshCli.class.getName(), "up", "--data-dir", dir.resolve("data").toString(),
      "--grpc-port", "34996", "--http-port", "34997")).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
    up.environment().put("SHOPMESH_RPC_DEADLINE_MS", "0");
    Process refused = up.start();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as("up exits").isTrue();
    assertThat(new String(refused.getInputStream().readAllBytes()))
      .contains("SHOPMESH_RPC_DEADLINE_MS (--rpc-deadline-ms) must be at least 1, got 0");
    assertThat(refused.exitValue()).isEqualTo(2);

    // With the logs switched off, the reason is still said: the process ended without a word.
    up.environment().put("SHOPMESH_LOG_LEVEL", "OFF");
    Process quiet = up.start();
    assertThat(quiet.waitFor(60, TimeUnit.SECONDS)).as("up exits").isTrue();
    assertThat(new String(quiet.getInputStream().readAllBytes()))
      .contains("start failed: SHOPMESH_RPC_DEADLINE_MS (--rpc-deadline-ms) must be at least 1, got 0");
  }

  /**
   * The next commands as a user pastes them into another terminal: with --gateway where they would
   * not find this gateway by themselves (they looked on 8080), and a replica more on a port of its
   * own where SHOPMESH_GRPC_PORT, the gateway's, would have given it the gateway's.
   */
  @Test
  void theBannersNextCommandsWorkAsPrintedWhateverSetThePorts() {
    assertThat(UpCommand.nextSteps("http://localhost:48080", Map.of(), "/d", true, false)).containsExactly(
      "the replicas and their share of the calls: http://localhost:48080/mesh, or ./shopmesh status --watch --gateway http://localhost:48080",
      "test orders: ./shopmesh order --count 200 --gateway http://localhost:48080, then ./shopmesh audit --gateway http://localhost:48080",
      "one replica more, from another terminal: ./shopmesh run catalog-service --data-dir=/d");
    assertThat(UpCommand.nextSteps("http://localhost:48080", Map.of("SHOPMESH_HTTP_PORT", "48080", "SHOPMESH_GRPC_PORT", "45051"),
      "/d", true, true)).containsExactly(
      "the replicas and their share of the calls: http://localhost:48080/mesh, or ./shopmesh status --watch",
      "test orders: ./shopmesh order --count 200, then ./shopmesh audit",
      "one replica more, from another terminal with the same SHOPMESH_DB_URL: ./shopmesh run catalog-service --data-dir=/d --grpc-port=0");
    assertThat(UpCommand.nextSteps("http://localhost:8080", Map.of(), "/home/me/my mesh's data", true, false)).as("quoted for the shell")
      .contains("one replica more, from another terminal: ./shopmesh run catalog-service --data-dir='/home/me/my mesh'\\''s data'");
    assertThat(UpCommand.nextSteps("http://localhost:8080", Map.of(), "/d", false, false)).as("a registry elsewhere: no run line")
      .hasSize(2);
  }

  /** The README's settings are flags of the services' main classes and run; up read --load-balancer as a typo. */
  @Test
  void aServiceSettingGivenToUpAsAFlagIsToldToUseTheEnvironment() {
    StringWriter err = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("up", "--load-balancer=least-requests")).isEqualTo(2);
    assertThat(err.toString()).contains("up takes the services' settings from the environment, not as flags:"
      + " if --load-balancer=least-requests is one, SHOPMESH_LOAD_BALANCER=least-requests ./shopmesh up");
    err.getBuffer().setLength(0);
    assertThat(cli.execute("up", "--db-url=postgresql://u:p@db/shop?sslmode=require&application_name=a")).isEqualTo(2);
    assertThat(err.toString()).as("quoted for the shell").contains(
      "SHOPMESH_DB_URL='postgresql://u:p@db/shop?sslmode=require&application_name=a' ./shopmesh up");
    err.getBuffer().setLength(0);
    assertThat(cli.execute("up", "--replica", "catalog-service=2")).isEqualTo(2);
    assertThat(err.toString()).as("a typo of up's own option: picocli's suggestion alone").contains("--replicas")
      .doesNotContain("SHOPMESH_REPLICA");
  }

  /** SHOPMESH_HTTP_HOST=127.0.0.2: the banner printed localhost, which refused connections. */
  @Test
  void theBannerNamesTheAddressTheServersBind() {
    assertThat(Gateway.reachedAt("127.0.0.1")).isEqualTo("localhost");
    assertThat(Gateway.reachedAt("0.0.0.0")).isEqualTo("localhost");
    assertThat(Gateway.reachedAt("127.0.0.2")).isEqualTo("127.0.0.2");
    assertThat(Gateway.reachedAt("::1")).as("in a URL").isEqualTo("[::1]");

    assertThat(Gateway.defaultUrl(Map.of())).isEqualTo("http://localhost:8080");
    assertThat(Gateway.defaultUrl(Map.of("SHOPMESH_HTTP_PORT", "18181", "SHOPMESH_HTTP_HOST", "0.0.0.0")))
      .isEqualTo("http://localhost:18181");
    assertThat(Gateway.defaultUrl(Map.of("SHOPMESH_HOST", "::1"))).as("HTTP_HOST defaults to HOST").isEqualTo("http://[::1]:8080");
  }
}
