package dev.shopmesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/** {@code ./shopmesh}: the top command, which only names its subcommands. */
@Command(
  name = "shopmesh",
  mixinStandardHelpOptions = true,
  versionProvider = ShopmeshCli.Version.class,
  description = "Run the shopmesh gRPC mesh locally, put load on it, see how the load balancers spread it "
    + "and audit that no order, money or stock went astray.",
  footer = {
    "",
    "Examples:",
    "  ./shopmesh up --replicas catalog-service=3,payment-service=2",
    "  ./shopmesh order --count 500",
    "  ./shopmesh order --rate 200 --duration 30 --max-failed-percent 0.5",
    "  ./shopmesh audit --settle-seconds 60",
    "  ./shopmesh status",
    "  ./shopmesh run catalog-service   (a replica more for the up run from this directory)"},
  subcommands = {UpCommand.class, OrderCommand.class, AuditCommand.class, StatusCommand.class, RunCommand.class})
public final class ShopmeshCli {

  public static void main(String[] args) {
    int exitCode = commandLine().execute(args);
    // `up` and `run` return 0 with the services still serving on Vert.x's non-daemon threads, which
    // keep the JVM alive until Ctrl-C; exiting here on success would stop them.
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** The command line as main runs it, for main and for tests. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ShopmeshCli()).setUsageHelpAutoWidth(true);
    // A bad option: its message and where the help is, not forty lines of help after it.
    cli.setParameterExceptionHandler((error, args) -> {
      CommandLine command = error.getCommandLine();
      command.getErr().println(error.getMessage() + fromEnvironment(error, args));
      UnmatchedArgumentException.printSuggestions(error, command.getErr());
      String setting = asSetting(error);
      if (setting != null) {
        command.getErr().println(setting);
      }
      command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
      return command.getCommandSpec().exitCodeOnInvalidInput();
    });
    // --gateway localhost:8080 as the address it is: java.net.URI reads "localhost" as a scheme, and
    // refuses 127.0.0.1:8080 with a stack trace's worth of URISyntaxException.
    // An address that does not parse is said in words: picocli showed the exception's class name.
    cli.registerConverter(URI.class, value -> {
      try {
        // A scheme only where it is one: a host named http-gw or httpd.internal is an address too.
        // https:// where up serves TLS, as the default address is: localhost:8443 went to http://.
        return new URI(value.contains("://") || value.toLowerCase(Locale.ROOT).matches("https?:.*") ? value
          : (GatewayTrust.servesTls(System.getenv()) ? "https://" : "http://") + value);
      } catch (URISyntaxException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not an address like localhost:8080 or http://host:8080 ("
          + e.getReason() + ")");
      }
    });
    // Computed, not an annotation's constant: a host from the environment needs brackets or localhost.
    cli.setDefaultValueProvider(arg -> arg instanceof OptionSpec option && option.longestName().equals("--gateway")
      ? Gateway.defaultUrl(System.getenv()) : null);
    // Each subcommand's -V too: its standard options listed it, and it printed nothing.
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    // Everything after `run SERVICE` belongs to the service, which parses its own flags.
    cli.getSubcommands().get("run").setStopAtPositional(true);
    return cli;
  }

  /**
   * " (from SHOPMESH_X)" when the bad value is an option's default taken from the environment:
   * "Invalid value for option '--http-port'" named an option nobody typed.
   */
  private static String fromEnvironment(ParameterException error, String[] args) {
    if (!(error.getArgSpec() instanceof OptionSpec option) || error.getMessage().contains("(from ")) {
      return "";
    }
    String name = option.longestName();
    String variable = environmentVariable(name);
    String value = System.getenv(variable);
    boolean typed = Arrays.stream(args).anyMatch(arg -> arg.equals(name) || arg.startsWith(name + "="));
    // The message quotes the value it refused; only then did it come from the variable.
    return value != null && !typed && error.getMessage().contains("'" + value + "'") ? " (from " + variable + ")" : "";
  }

  /**
   * For an option up does not have, the setting it may have meant: the README says every setting is
   * also a flag, which holds for a service's main class and {@code run}, while {@code up} takes its
   * settings from the environment (they are shared by every service it runs). Null otherwise.
   */
  static String asSetting(ParameterException error) {
    // Not for a typo of one of up's own options (--replica), which picocli suggests.
    if (!(error instanceof UnmatchedArgumentException unmatched) || !error.getCommandLine().getCommandName().equals("up")
      || !unmatched.getSuggestions().isEmpty()) {
      return null;
    }
    return unmatched.getUnmatched().stream().filter(arg -> arg.matches("--[a-z][a-z0-9-]*(=.*)?")).findFirst()
      .map(arg -> {
        int equals = arg.indexOf('=');
        String variable = environmentVariable(equals < 0 ? arg : arg.substring(0, equals));
        return "up takes the services' settings from the environment, not as flags: if " + arg + " is one, " + variable + "="
          + (equals < 0 ? "VALUE" : ShellWord.of(arg.substring(equals + 1))) + " ./shopmesh up (the settings: the README's Configuration)";
      }).orElse(null);
  }

  /** The variable an option's default comes from, where it has one: --http-port, SHOPMESH_HTTP_PORT. */
  static String environmentVariable(String option) {
    return "SHOPMESH_" + option.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
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
