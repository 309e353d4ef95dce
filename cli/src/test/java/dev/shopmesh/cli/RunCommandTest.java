package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;

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
