package dev.shopmesh.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** {@code shopmesh order}: test orders through a running gateway, with a progress bar and a summary. */
@Command(
  name = "order",
  mixinStandardHelpOptions = true,
  description = {
    "Place test orders through a running gateway and summarize the outcomes.",
    "Start the mesh first with ./shopmesh up.",
    "Without --rate the load is a closed loop: a new order starts whenever fewer than --concurrency are in flight. "
      + "With --rate it is an open loop: orders start at fixed intervals whatever the latency, so a slow mesh "
      + "builds up orders in flight; an order due while --concurrency are in flight is skipped and counted as "
      + "\"skipped (client saturated)\".",
    "An order answered 502, 503 or 504, or 409 ABORTED (its first attempt is still being placed), or not answered "
      + "at all (connection error, timeout), is sent again with the same Idempotency-Key after a 50-200 ms jittered "
      + "back-off, up to --attempts times in all.",
    "Ctrl-C stops sending, waits for the orders in flight, then prints the summary and writes the ids.",
    "Acknowledged: the gateway answered with an order (201, 402 or 409 with an orderId); their ids are written "
      + "to --ids-file for ./shopmesh audit. Declined payments (402) and out-of-stock answers (409) count as "
      + "rejected, not failed; failed is no acknowledgement after all attempts, or any other status.",
    "Exits with 1 if more orders failed than --max-failed-percent allows (by default, any), or the gateway cannot be "
      + "reached (no summary then); with 2 on a bad option; with 130 on Ctrl-C, after its summary of the orders "
      + "placed so far."})
final class OrderCommand implements Callable<Integer> {

  static final int DEFAULT_COUNT = 200;
  static final int DEFAULT_CONCURRENCY = 8;
  static final int DEFAULT_OPEN_LOOP_CONCURRENCY = 64;

  @Spec
  CommandSpec spec;

  @Option(names = "--count", paramLabel = "N",
    description = "How many orders to place (default: " + DEFAULT_COUNT + ", or as many as --duration allows). "
      + "With --duration too, the run stops at whichever comes first.")
  Integer count;

  @Option(names = "--duration", paramLabel = "SECONDS",
    description = "Start orders for this long, e.g. 30 or 0.5; with --rate, rate x duration orders.")
  Double durationSeconds;

  @Option(names = "--rate", paramLabel = "R",
    description = "Orders to start per second, open loop (default: none, closed loop).")
  Double rate;

  @Option(names = "--concurrency", paramLabel = "C",
    description = "How many orders may be in flight at once (default: " + DEFAULT_CONCURRENCY + ", or "
      + DEFAULT_OPEN_LOOP_CONCURRENCY + " with --rate).")
  Integer concurrency;

  @Option(names = "--attempts", paramLabel = "N", defaultValue = "" + OrderLoad.DEFAULT_ATTEMPTS,
    description = "Attempts per order in all, retries with the same Idempotency-Key included (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(names = "--max-failed-percent", paramLabel = "P", defaultValue = "0",
    description = "Exit with 0 even if some orders failed, as long as at most P %% did, e.g. 0.5 (default: ${DEFAULT-VALUE}).")
  double maxFailedPercent;

  @Option(names = "--ids-file", paramLabel = "FILE", defaultValue = OrderIdsFile.DEFAULT_NAME,
    description = "Where to write the ids of the acknowledged orders, one per line, for ./shopmesh audit; "
      + "overwritten once the gateway answers, so a run that cannot reach it keeps the last run's (default: ${DEFAULT-VALUE}).")
  Path idsFile;

  @Option(names = "--gateway", paramLabel = "URL", description = Gateway.OPTION_HELP)
  URI gateway;

  @Option(names = "--quantity", paramLabel = "Q", defaultValue = "1",
    description = "Units in each order, 1 to " + MAX_QUANTITY + ", of one product: the orders take turns over the catalog's"
      + " products (default: ${DEFAULT-VALUE}).")
  int quantity;

  /** The most units of a product an order line may ask for: order-service refuses more, order by order. */
  static final int MAX_QUANTITY = 1_000;

  @Option(names = "--card", paramLabel = "NUMBER", defaultValue = "4242424242424242",
    description = "The card number every order pays with (default: ${DEFAULT-VALUE}).")
  String card;

  @Override
  public Integer call() throws InterruptedException {
    OrderLoad.Settings settings = settings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    OrderLoad load = new OrderLoad(settings);
    List<String> productIds;
    try {
      productIds = load.productIds();
    } catch (Gateway.GatewayException e) {
      err.println(e.getMessage());
      return 1;
    }
    // Emptied once the gateway answered, before any order, so that no ids of an earlier run are
    // left for the audit; a run that could not reach it (a mistyped --gateway) emptied it too, and
    // the audit of the run before then checked nothing.
    try (OrderIdsFile ids = OrderIdsFile.create(idsFile)) {
      CountDownLatch summarized = new CountDownLatch(1);
      Thread interrupted = stopHook(load, summarized);
      Runtime.getRuntime().addShutdownHook(interrupted);
      try {
        OrderLoad.Result result;
        try (ProgressBar bar = progressBar(settings).build()) {
          result = load.place(productIds, new OrderProgress(bar), ids::add);
        }
        IOException idsError = ids.error();
        ids.close();
        return summarize(out, err, settings, result, idsError, load.stopped());
      } finally {
        summarized.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(interrupted);
        } catch (IllegalStateException exiting) {
          // Already running: it returns now that the summary is out.
        }
      }
    } catch (IOException e) {
      err.println("cannot write the ids file " + idsFile + ": " + FailureWords.describe(e));
      return 1;
    }
  }

  private static ProgressBarBuilder progressBar(OrderLoad.Settings settings) {
    ProgressBarBuilder progress = new ProgressBarBuilder()
      .setTaskName("orders")
      .setInitialMax(settings.plannedOrders())
      .setUnit(" orders", 1)
      // "0.6 orders/s", where the library's default pattern printed ".6".
      .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    if (System.console() != null) {
      return progress.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
    }
    // In a log or a pipe: plain lines every 5 s, not one line redrawn with carriage returns.
    return progress.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5_000)
      .setConsumer(new DelegatingProgressBarConsumer(changedLines(System.err::println)));
  }

  /**
   * Each line only when it differs from the one before: the bar prints its last state once when
   * it reaches its end and again when it closes, and a short run printed "100% ... 3/3" twice.
   */
  static Consumer<String> changedLines(Consumer<String> printer) {
    String[] last = {null};
    return line -> {
      if (!line.equals(last[0])) {
        last[0] = line;
        printer.accept(line);
      }
    };
  }

  /**
   * What Ctrl-C or SIGTERM runs: no more orders, the ones in flight counted, then the summary and
   * the ids so far, as at the end of a run; the JVM exits once this hook returns.
   */
  private static Thread stopHook(OrderLoad load, CountDownLatch summarized) {
    return new Thread(() -> {
      load.stop();
      try {
        summarized.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "order-stop");
  }

  /**
   * Time for the orders in flight to end after Ctrl-C: none is tried again once stopped, so each
   * ends within its attempt's connect and request timeouts (5 s and 20 s).
   */
  private static final long STOP_GRACE_SECONDS = 30;

  private int summarize(PrintWriter out, PrintWriter err, OrderLoad.Settings settings, OrderLoad.Result result,
                        IOException idsError, boolean stopped) {
    if (stopped) {
      out.println("stopped early (Ctrl-C or SIGTERM): no more orders were sent, the ones in flight were waited for");
    }
    print(out, settings, result);
    if (idsError != null) {
      err.println("cannot write the ids file " + idsFile + ": " + FailureWords.describe(idsError));
      return 1;
    }
    out.println("  acknowledged order ids written to " + idsFile + " (check them with " + auditCommand() + ")");
    out.flush();
    return !stopped && (result.failed() == 0 || result.failedPercent() <= maxFailedPercent) ? 0 : 1;
  }

  /** The audit of this run, as a user pastes it: with the ids file and gateway it was given, where not the defaults. */
  String auditCommand() {
    ParseResult given = spec.commandLine().getParseResult();
    return "./shopmesh audit" + (given.hasMatchedOption("--ids-file") ? " --ids-file " + ShellWord.of(idsFile.toString()) : "")
      + (given.hasMatchedOption("--gateway") ? " --gateway " + ShellWord.of(String.valueOf(gateway)) : "");
  }

  /** The run the options ask for; a {@link ParameterException} for bad ones. */
  OrderLoad.Settings settings() {
    if (count != null) {
      requirePositive("--count", count);
    }
    if (concurrency != null) {
      requirePositive("--concurrency", concurrency);
    }
    requirePositive("--attempts", attempts);
    requirePositive("--quantity", quantity);
    if (quantity > MAX_QUANTITY) {
      throw new ParameterException(spec.commandLine(), "--quantity must be at most " + MAX_QUANTITY
        + " (order-service refuses more in one line), got " + quantity);
    }
    if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
      throw new ParameterException(spec.commandLine(), "--rate must be a positive number of orders per second, got " + rate);
    }
    if (durationSeconds != null && !(durationSeconds > 0 && durationSeconds <= Duration.ofDays(365).toSeconds())) {
      throw new ParameterException(spec.commandLine(), "--duration must be a positive number of seconds, got " + durationSeconds);
    }
    if (!(maxFailedPercent >= 0 && maxFailedPercent <= 100)) {
      throw new ParameterException(spec.commandLine(), "--max-failed-percent must be between 0 and 100, got " + maxFailedPercent);
    }
    Gateway.requireHttpUrl(spec, gateway);
    Duration duration = durationSeconds == null ? null : Duration.ofNanos(Math.round(durationSeconds * 1e9));
    int maxOrders = count != null ? count : duration != null ? Integer.MAX_VALUE : DEFAULT_COUNT;
    int inFlight = concurrency != null ? concurrency : rate != null ? DEFAULT_OPEN_LOOP_CONCURRENCY : DEFAULT_CONCURRENCY;
    return new OrderLoad.Settings(gateway, maxOrders, duration, rate == null ? 0 : rate, inFlight, attempts, quantity, card);
  }

  private void requirePositive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
    }
  }

  private void print(PrintWriter out, OrderLoad.Settings settings, OrderLoad.Result result) {
    out.printf(Locale.ROOT, "%s in %.2f s (%.1f orders/s)%n",
      orders(result.placed()), result.elapsed().toNanos() / 1e9, result.ordersPerSecond());
    out.printf(Locale.ROOT, "  acknowledged %d: confirmed %d, rejected %d%s%s%n",
      result.acknowledged(), result.confirmed(), result.rejected(), result.rejections().isEmpty() ? ""
        : result.rejections().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", " (", ")")),
      result.unsettled() == 0 ? "" : ", not final yet " + result.unsettled() + " (PENDING, or still being placed)");
    if (result.rejections().containsKey(OUT_OF_STOCK)) {
      // The seeded stock (1,000 of each product) is spent after the docs' own examples, and every
      // order is then rejected, exit 0, with nothing saying how to get it back.
      out.println("  out of stock: earlier orders took it; to start over with the seeded stock, stop the mesh and remove"
        + " its data (./shopmesh up: its --data-dir, ./data by default; docker compose: down -v)");
    }
    if (result.unsettled() > 0) {
      // A summary of "failed 0" read as all well while an order caught by a killed replica went on
      // to be rejected 30 s later, once order-service's sweep settled it.
      out.printf(Locale.ROOT, "  not final yet: %s, each confirmed or rejected later (one caught by a replica that stopped is"
        + " settled by order-service's sweep once SHOPMESH_SAGA_STALE_MS has passed: 30 to 40 s by default); ./shopmesh audit"
        + " waits for them%n", orders(result.unsettled()));
    }
    out.printf(Locale.ROOT, "  failed %d, retried %d (orders that needed more than one attempt)%n",
      result.failed(), result.retried());
    if (settings.openLoop()) {
      out.printf(Locale.ROOT, "  skipped %d (client saturated: %s in flight) of %d due at %.1f orders/s%n",
        result.skipped(), orders(settings.concurrency()), result.placed() + result.skipped(), settings.rate());
    }
    LatencySummary latency = result.latency();
    out.printf(Locale.ROOT, "  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (whole orders, retries included)%n",
      latency.p50Millis(), latency.p99Millis(), latency.maxMillis());
    if (!result.failures().isEmpty()) {
      // One kind a line: each says what the gateway said, which can be a sentence, and the trace
      // the last one was logged under, to find the services' lines about it.
      out.println("  failures:");
      result.failures().forEach((failure, count) -> {
        String trace = result.failureTraces().get(failure);
        out.println("    " + failure + " x" + count + (trace == null ? "" : " (the last: trace_id " + trace + ")"));
      });
    }
    if (result.failed() > 0 && maxFailedPercent > 0) {
      out.printf(Locale.ROOT, "  %.2f %% of the orders failed, %s --max-failed-percent %s%n", result.failedPercent(),
        result.failedPercent() <= maxFailedPercent ? "within" : "more than", stripZeros(maxFailedPercent));
    }
  }

  /** A rejection as {@link OrderLoad#rejectionOf} words it. */
  static final String OUT_OF_STOCK = "out of stock";

  /** "1 order", "2 orders": a count that starts a line reads as a sentence. */
  private static String orders(long count) {
    return count + (count == 1 ? " order" : " orders");
  }

  private static String stripZeros(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
