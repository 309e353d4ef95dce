package dev.shopmesh.bench.serve;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a server wrote on stderr during the benchmark (JSON log lines at WARNING and above, or
 * stack traces). Not counted as failed requests: a server may log an error about a call h2load
 * abandoned when it stopped, yet every request it answered was right. Reported so it is seen.
 *
 * @param firstError the first line that reports an error, cut to a readable length; null if none
 */
public record ServerLog(String server, Path file, int lines, int errorLines, String firstError) {

  private static final int SHOWN = 300;

  static ServerLog read(String server, Path file) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> errors = all.stream().filter(ServerLog::isError).toList();
      String first = errors.isEmpty() ? null : errors.get(0).substring(0, Math.min(SHOWN, errors.get(0).length()));
      return new ServerLog(server, file, all.size(), errors.size(), first);
    } catch (IOException e) {
      return new ServerLog(server, file, 0, 0, "unreadable log: " + e.getMessage());
    }
  }

  private static boolean isError(String line) {
    return line.contains("\"severity\":\"ERROR\"") || line.contains("SEVERE") || line.startsWith("Exception");
  }

  public JsonObject toJson() {
    return new JsonObject().put("server", server).put("lines", lines).put("errorLines", errorLines).put("firstError", firstError);
  }
}
