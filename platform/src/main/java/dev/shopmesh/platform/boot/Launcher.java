package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.log.Logs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a service's {@code main} does, visibly: read the configuration, start the service, install
 * a shutdown hook that stops it within a bound (then lets the JVM exit anyway), and keep running.
 */
public final class Launcher {

  private static final Logger LOG = Logs.logger("launcher");

  private Launcher() {
  }

  /**
   * The {@code main} of a single-service process (its jar, {@code ./shopmesh run}), finding the
   * others in the data directory's registry unless told another ({@link DataDirRegistry}). Exits
   * with 2 on bad flags, 1 if start fails.
   */
  public static void main(String[] args, Function<Config, MeshVerticle> service) {
    Config config = loadOrExit(DataDirRegistry.byDefault(System.getenv(), args));
    DataDirRegistry.startsAMeshOfItsOwn(config, System.currentTimeMillis()).ifPresent(System.err::println);
    runUntilShutdown(config, start(vertxOrExit(config), List.of(service.apply(config))));
  }

  /** Vert.x on the configured transport ({@link Transports}); one that cannot load ends the process with 2. */
  public static Vertx vertxOrExit(Config config) {
    try {
      return Transports.vertx(config);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null;
    }
  }

  /**
   * Flags and environment, with JSON logging set up; a bad flag ends the process with its message,
   * {@code --help} with the settings ({@link Usage}).
   */
  public static Config loadOrExit(String[] args) {
    if (Usage.asked(args)) {
      System.out.print(Usage.text());
      System.exit(0);
    }
    try {
      Config config = Config.load(args);
      Logs.init(config);
      return config;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null;
    }
  }

  /**
   * How long a start may take before the process gives up on it. A dependency that accepts
   * connections and never answers can hold a start for good (Vert.x 5.0.7's pool, closed under a
   * connection attempt, never finishes closing): a process that exits is restarted by its
   * supervisor, one that hangs is not.
   */
  static final Duration START_BOUND = Duration.ofSeconds(60);

  /** Waits for {@code started}, at most {@link #START_BOUND}; on success installs the shutdown hook, else exits (2 for a bad setting, else 1). */
  public static Running runUntilShutdown(Config config, Future<Running> started) {
    try {
      Running running = awaitStart(started, START_BOUND);
      long bound = MeshVerticle.shutdownGraceMillis(config) + 2_000;
      List<String> unread = config.unreadFlags();
      if (!unread.isEmpty()) {
        // "As configured": --db-pool-size on the embedded store is a setting of the service, read on PostgreSQL only.
        LOG.warning("ignored, as no setting this service reads as configured: "
          + String.join(", ", unread.stream().map(config::withGuess).toList())
          + " (a typo, another service's setting, or one of another store's; the README lists the settings)");
      }
      List<String> misspelt = config.misspeltVariables();
      if (!misspelt.isEmpty()) {
        LOG.warning("ignored, as no setting read here: " + String.join(", ", misspelt.stream().map(config::withGuess).toList())
          + " (the README lists the settings)");
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> running.stop(bound), "shopmesh-shutdown"));
      return running;
    } catch (RuntimeException e) {
      // A bad value, found as a service read its settings, is a usage error (2) as a bad flag is:
      // up's help said so, and a bad deadline exited 1 while a bad log level exited 2.
      System.exit(e.getCause() instanceof IllegalArgumentException ? 2 : 1);
      return null;
    }
  }

  /** The started services, once {@code started} succeeds; thrown if it fails or takes longer than {@code bound}. */
  static Running awaitStart(Future<Running> started, Duration bound) {
    try {
      return started.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.severe("start failed: not finished within " + bound.toSeconds() + " s (a dependency that accepts connections"
        + " and never answers?); exiting");
      throw new IllegalStateException("start not finished within " + bound, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Deploys the services one after the other (list callees before callers), failing fast. */
  public static Future<Running> start(Vertx vertx, List<MeshVerticle> verticles) {
    List<String> deployments = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (MeshVerticle verticle : verticles) {
      chain = chain.compose(v -> vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty());
    }
    return chain
      .map(v -> new Running(vertx, List.copyOf(verticles), deployments))
      .onFailure(err -> {
        // A bad setting or a port in use is the operator's to fix: its message says all, a stack does not help.
        boolean operatorsToFix = err instanceof IllegalArgumentException || err instanceof Failure;
        LOG.log(Level.SEVERE, "start failed: " + err.getMessage(), operatorsToFix ? null : err);
        if (!LOG.isLoggable(Level.SEVERE)) {
          // SHOPMESH_LOG_LEVEL=OFF: the process ended with no word of why.
          System.err.println("start failed: " + err.getMessage());
        }
        vertx.close();
      });
  }

  /** Started services. */
  public record Running(Vertx vertx, List<MeshVerticle> verticles, List<String> deployments) {

    /**
     * Undeploys callers before callees, each withdrawn from discovery first, then drained; then
     * closes Vert.x; bounded.
     */
    public Future<Void> close() {
      Future<Void> chain = Future.succeededFuture();
      for (int i = deployments.size() - 1; i >= 0; i--) {
        String id = deployments.get(i);
        MeshVerticle verticle = verticles.get(i);
        chain = chain.compose(v -> verticle.withdraw()).compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
      }
      return chain.eventually(vertx::close);
    }

    /** {@link #close()} from a plain thread (a shutdown hook), waiting at most {@code boundMillis}. */
    public void stop(long boundMillis) {
      CountDownLatch done = new CountDownLatch(1);
      close().onComplete(ar -> done.countDown());
      try {
        if (!done.await(boundMillis, TimeUnit.MILLISECONDS)) {
          LOG.warning("shutdown did not finish within " + boundMillis + " ms; exiting anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
