package dev.shopmesh.cli;

import dev.shopmesh.platform.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shopmesh run}: what reaches the service, and an unknown service (nothing is started). */
class RunCommandTest {

  private static RunCommand parsed(String... args) {
    ParseResult result = ShopmeshCli.commandLine().parseArgs(args);
    return (RunCommand) result.subcommand().commandSpec().userObject();
  }

  @Test
  void theFlagsAfterTheServiceReachItUntouched() {
    RunCommand run = parsed("run", "catalog-service", "--grpc-port=7001", "--data-dir", "/tmp/x", "--help", "-v");

    assertThat(run.service).isEqualTo("catalog-service");
    assertThat(run.flags).containsExactly("--grpc-port=7001", "--data-dir", "/tmp/x", "--help", "-v");
  }

  @Test
  void aServiceWithoutFlagsGetsNone() {
    RunCommand run = parsed("run", "gateway");

    assertThat(run.service).isEqualTo("gateway");
    assertThat(run.flags).isEmpty();
  }

  /** So that a run on the data directory of a ./shopmesh up joins its mesh; a registry the user names wins. */
  @Test
  void theServiceFindsTheOthersThroughTheDataDirectoryUnlessARegistryIsNamed() {
    assertThat(RunCommand.withDefaultRegistry(Map.of(), List.of("--grpc-port=7001")))
      .containsExactly("--discovery=dir", "--grpc-port=7001");
    assertThat(Config.load(RunCommand.withDefaultRegistry(Map.of(), List.of("--discovery=redis://r:6379"))
      .toArray(String[]::new)).get("DISCOVERY", "")).isEqualTo("redis://r:6379");
    assertThat(RunCommand.withDefaultRegistry(Map.of("SHOPMESH_DISCOVERY", "redis://r:6379"), List.of("--grpc-port=7001")))
      .containsExactly("--grpc-port=7001");
  }

  /** A run from another working directory read another registry, and said so only in passing. */
  @Test
  void aRunOnADataDirectoryWithNoLiveReplicaSaysItStartsAMeshOfItsOwn(@TempDir Path data) throws Exception {
    long now = System.currentTimeMillis();
    Config onData = Config.of(Map.of("SHOPMESH_DISCOVERY", "dir", "SHOPMESH_DATA_DIR", data.toString()));
    assertThat(RunCommand.startsAMeshOfItsOwn(onData, now)).hasValueSatisfying(line -> assertThat(line)
      .startsWith("no replica is registered in " + data.resolve("registry") + ": this process starts a mesh of its own.")
      .contains("--data-dir").as("an up on Redis, which a run without its setting does not see").contains("SHOPMESH_DISCOVERY"));

    Path registry = Files.createDirectories(data.resolve("registry"));
    Path gone = Files.writeString(registry.resolve("gone.json"), "{}");
    Files.setLastModifiedTime(gone, FileTime.fromMillis(now - 60_000));
    assertThat(RunCommand.startsAMeshOfItsOwn(onData, now)).as("a replica that stopped a minute ago").isPresent();

    Files.writeString(registry.resolve("live.json"), "{}");
    assertThat(RunCommand.startsAMeshOfItsOwn(onData, now)).as("a replica renewing its lease").isEmpty();
    assertThat(RunCommand.startsAMeshOfItsOwn(Config.of(Map.of("SHOPMESH_DISCOVERY", "redis://r:6379",
      "SHOPMESH_DATA_DIR", data.resolve("elsewhere").toString())), now)).as("another registry").isEmpty();
  }

  @Test
  void anUnknownServiceExitsWith2ListingTheValidNames() {
    StringWriter err = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("run", "shipping-service", "--grpc-port=7001")).isEqualTo(2);
    assertThat(err.toString()).contains(
      "unknown service 'shipping-service'", "catalog-service, payment-service, order-service, gateway");
  }

  @Test
  void aMissingServiceIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("run")).isEqualTo(2);
    assertThat(err.toString()).contains("SERVICE");
  }
}
