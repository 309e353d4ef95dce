package dev.shopmesh.bench.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server under test in a JVM of its own, started from this jar: each server gets its own heap,
 * JIT and GC, and none of the harness's work shares its threads. All get the same JVM flags.
 * Closing its standard input stops it; so does this process ending, however it ends.
 */
public final class ServerProcess implements AutoCloseable {

  /**
   * The same for every server, so that none of them wins on heap sizing or collector; the parallel
   * collector, as {@code ./shopmesh up} runs the mesh (see the root launcher).
   */
  public static final List<String> JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC");

  private final ServerKind kind;
  private final String name;
  private final Process process;
  private final long startedNanos;
  private final Path log;
  private final CompletableFuture<Ports> ready = new CompletableFuture<>();
  private final CompletableFuture<Long> readyNanos = new CompletableFuture<>();
  private Ports ports;

  private ServerProcess(ServerKind kind, String name, Process process, long startedNanos, Path log) {
    this.kind = kind;
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
    Thread reader = new Thread(this::readStdout, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the server; its stderr (JSON logs, at WARNING) goes to {@code logDir/<server>.log}. */
  public static ServerProcess start(ServerKind kind, Path logDir) throws IOException {
    return start(kind, kind.label(), logDir, List.of(), List.of(), null);
  }

  /**
   * Starts a server as {@link #start(ServerKind, Path)} does, with more to say.
   *
   * @param name     what the log file and the report call it
   * @param prefix   words before {@code java}, such as {@code taskset -c 1}; none for most
   * @param serveArgs arguments after the server's name, for {@link ServeMain}
   * @param dbUrl    the mesh's {@code SHOPMESH_DB_URL}, or null: the variable is then removed from
   *                 the server's environment, so a value in the harness's own never leaks in
   */
  public static ServerProcess start(ServerKind kind, String name, Path logDir, List<String> prefix, List<String> serveArgs,
                                    String dbUrl) throws IOException {
    Path log = logDir.resolve(name + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(prefix);
    command.add(java);
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeMain.class.getName(), kind.label()));
    command.addAll(serveArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().remove(ServeMain.DB_URL);
    if (dbUrl != null) {
      builder.environment().put(ServeMain.DB_URL, dbUrl);
    }
    long started = System.nanoTime();
    Process process = builder.start();
    return new ServerProcess(kind, name, process, started, log);
  }

  public ServerKind kind() {
    return kind;
  }

  /** What the log file and the report call it: the server's label unless told otherwise. */
  public String name() {
    return name;
  }

  /** Milliseconds from just before the process was started to its ready line; NaN before {@link #awaitReady}. */
  public double millisToReady() {
    Long at = readyNanos.getNow(null);
    return at == null ? Double.NaN : (at - startedNanos) / 1e6;
  }

  /** Milliseconds since just before the process was started. */
  public double millisSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e6;
  }

  /** The process id, to read its CPU time. */
  public long pid() {
    return process.pid();
  }

  /** The ports {@link #awaitReady} answered. */
  public Ports ports() {
    return ports;
  }

  /** The server's ports once it answers calls; fails with the end of its log if it died or took too long. */
  public Ports awaitReady(long timeoutMillis) throws IOException, InterruptedException {
    try {
      ports = ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
      return ports;
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(name + " did not start within " + timeoutMillis + " ms (exit: "
        + (process.isAlive() ? "still running" : process.exitValue()) + "); the end of its log:\n" + logTail(), e);
    }
  }

  /** What the server has logged so far. */
  public ServerLog log() {
    return ServerLog.read(name, log);
  }

  /** The last lines of the server's stderr. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void readStdout() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Ports ports = Ports.parse(line);
        if (ports != null) {
          readyNanos.complete(System.nanoTime());
          ready.complete(ports);
        }
      }
      ready.completeExceptionally(new IOException(name + " ended its output without becoming ready"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  /** Asks the server to stop (end of its input) and waits; forces it after 20 s. */
  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already gone: nothing to ask.
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
