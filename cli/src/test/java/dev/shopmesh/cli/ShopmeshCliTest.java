package dev.shopmesh.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What every command answers alike. */
class ShopmeshCliTest {

  /** Each command's help lists -V: it printed nothing but for the top command. */
  @ParameterizedTest
  @ValueSource(strings = {"", "up", "run", "order", "status", "audit"})
  void everyCommandSaysItsVersion(String command) {
    StringWriter out = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setOut(new PrintWriter(out, true));

    int exit = command.isEmpty() ? cli.execute("-V") : cli.execute(command, "-V");

    assertThat(exit).isZero();
    assertThat(out.toString()).matches("shopmesh \\S+\\R");
  }

  /**
   * Each command's help says how it exits, as the cli README promises: a script calling it needs the
   * codes. Every command exits 2 on a bad option, which order's and status's help left out.
   */
  @ParameterizedTest
  @ValueSource(strings = {"up", "run", "order", "status", "audit"})
  void everyCommandSaysHowItExits(String command) {
    StringWriter out = new StringWriter();
    CommandLine cli = ShopmeshCli.commandLine();
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute(command, "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("Exits with ").contains("with 2 on");
  }
}
