package dev.shopmesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code ./shopmesh}: the top command, which only names its subcommands. */
@Command(
  name = "shopmesh",
  mixinStandardHelpOptions = true,
  versionProvider = ShopmeshCli.Version.class,
  description = "Run the shopmesh gRPC mesh locally and put load on it.",
  subcommands = {UpCommand.class, OrderCommand.class})
public final class ShopmeshCli {

  public static void main(String[] args) {
    int exitCode = new CommandLine(new ShopmeshCli()).setUsageHelpAutoWidth(true).execute(args);
    // `up` returns 0 with the mesh still serving on Vert.x's non-daemon threads, which keep the JVM
    // alive until Ctrl-C; exiting here on success would stop it.
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** The Maven version, written into the jar at build time. */
  static final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = ShopmeshCli.class.getResourceAsStream("/shopmesh-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {"shopmesh " + properties.getProperty("version", "(unknown version)")};
    }
  }
}
