package dev.shopmesh.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs h2load (Debian's nghttp2-client) against a port of 127.0.0.1, one process per run, with a
 * per-request log for the percentiles. One h2load thread: on two cores the other one is the server's.
 */
public final class H2load {

  private final Path workDir;
  private final List<String> prefix;

  /**
   * @param workDir where request bodies and per-request logs are written; the caller removes it
   * @param prefix  words before {@code h2load}, such as {@code taskset -c 0}; none for most
   */
  public H2load(Path workDir, List<String> prefix) {
    this.workDir = workDir;
    this.prefix = List.copyOf(prefix);
  }

  /** h2load's version line, or a failure telling how to install it. */
  public static String version() throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("h2load", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new IOException("h2load not found: apt-get install -y nghttp2-client", e);
    }
  }

  /** One run of {@code call} against {@code port}; fails if h2load could not run or printed no summary. */
  public H2loadRun run(int port, Call call, Scenario.Shape shape, RunLength length) throws IOException, InterruptedException {
    Path log = Files.createTempFile(workDir, "h2load-", ".tsv");
    Path out = Files.createTempFile(workDir, "h2load-", ".out");
    List<String> command = command(port, call, shape, length, log);
    // To a file, not a pipe: waiting on a pipe would hang with a hung h2load, past the time limit.
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!process.waitFor(length.limitMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("h2load did not end within " + length.limitMillis() + " ms: " + String.join(" ", command));
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      return new H2loadRun(shellWords(command), H2loadReport.parse(text), Latencies.read(log));
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(out);
    }
  }

  /** The command as a shell would take it back, for the report. */
  static String shellWords(List<String> command) {
    return command.stream().map(w -> w.matches("[\\w@%+=:,./-]+") ? w : "'" + w.replace("'", "'\\''") + "'")
      .collect(java.util.stream.Collectors.joining(" "));
  }

  List<String> command(int port, Call call, Scenario.Shape shape, RunLength length, Path log) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("h2load",
      "-c", String.valueOf(shape.clients()),
      "-m", String.valueOf(shape.streams()),
      "-t", "1",
      "--log-file=" + log));
    command.addAll(length.flags(shape.clients()));
    if (call.grpc()) {
      // gRPC needs POST (h2load posts when given -d), its content type, and te: trailers
      // (servers may refuse calls from clients that do not announce they read trailers).
      command.addAll(List.of("-d", bodyFile(call).toString(),
        "-H", "content-type: application/grpc", "-H", "te: trailers"));
    } else if (!call.http2()) {
      command.add("--h1");
    }
    command.add("http://127.0.0.1:" + port + call.path());
    return command;
  }

  private Path bodyFile(Call call) throws IOException {
    Path body = workDir.resolve(call.name() + ".body");
    if (!Files.exists(body)) {
      Files.write(body, call.body());
    }
    return body;
  }
}
