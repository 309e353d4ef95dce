package dev.shopmesh.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code shopmesh order}: test orders through a running gateway, with a progress bar and a summary. */
@Command(
  name = "order",
  mixinStandardHelpOptions = true,
  description = {
    "Place test orders through a running gateway and summarize the outcomes.",
    "Start the mesh first with ./shopmesh up.",
    "Declined payments (402) and out-of-stock answers (409) count as rejected, not failed.",
    "Exits with 1 if any order failed."})
final class OrderCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--count", paramLabel = "N", defaultValue = "200",
    description = "How many orders to place (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "8",
    description = "How many orders may be in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://localhost:8080",
    description = "The gateway's HTTP address (default: ${DEFAULT-VALUE}).")
  URI gateway;

  @Option(names = "--quantity", paramLabel = "Q", defaultValue = "1",
    description = "Units of the product in each order (default: ${DEFAULT-VALUE}).")
  int quantity;

  @Option(names = "--card", paramLabel = "NUMBER", defaultValue = "4242424242424242",
    description = "The card number every order pays with (default: ${DEFAULT-VALUE}).")
  String card;

  @Override
  public Integer call() throws InterruptedException {
    requirePositive("--count", count);
    requirePositive("--concurrency", concurrency);
    requirePositive("--quantity", quantity);
    if (!("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme())) || gateway.getHost() == null) {
      throw new ParameterException(spec.commandLine(), "--gateway must be an http:// or https:// URL, got '" + gateway + "'");
    }

    OrderLoad load = new OrderLoad(new OrderLoad.Settings(gateway, count, concurrency, quantity, card));
    List<String> productIds;
    try {
      productIds = load.productIds();
    } catch (OrderLoad.GatewayException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    OrderLoad.Result result;
    try (ProgressBar bar = new ProgressBarBuilder()
      .setTaskName("orders")
      .setInitialMax(count)
      .setUnit(" orders", 1)
      .showSpeed()
      // Colors and block characters only where a person is watching, plain text in logs and pipes.
      .setStyle(System.console() != null ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
      .build()) {
      result = load.place(productIds, outcome -> bar.step());
    }
    print(result);
    return result.failed() == 0 ? 0 : 1;
  }

  private void requirePositive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
    }
  }

  private static void print(OrderLoad.Result result) {
    System.out.printf(Locale.ROOT, "%d orders in %.2f s (%.1f orders/s)%n",
      result.count(), result.elapsed().toNanos() / 1e9, result.ordersPerSecond());
    System.out.printf(Locale.ROOT, "  confirmed %d, rejected %d (declined or out of stock), failed %d%n",
      result.confirmed(), result.rejected(), result.failed());
    LatencySummary latency = result.latency();
    System.out.printf(Locale.ROOT, "  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
      latency.p50Millis(), latency.p99Millis(), latency.maxMillis());
    if (!result.failures().isEmpty()) {
      System.out.println("  failures: " + result.failures().entrySet().stream()
        .map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", ")));
    }
  }
}
