package dev.shopmesh.bench.report;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on; the load average says how busy the machine was besides. */
public record Machine(int cores, String cpu, String memory, String os, String java, String h2load, String loadAverageAtStart) {

  public static Machine describe(String h2loadVersion) {
    return new Machine(
      Runtime.getRuntime().availableProcessors(),
      field(Path.of("/proc/cpuinfo"), "model name"),
      field(Path.of("/proc/meminfo"), "MemTotal"),
      osName(),
      System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
      h2loadVersion,
      currentLoadAverage());
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg says them now. */
  public static String currentLoadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "unknown";
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("cores", cores).put("cpu", cpu).put("memory", memory).put("os", os)
      .put("java", java).put("h2load", h2load).put("loadAverageAtStart", loadAverageAtStart);
  }

  private static String osName() {
    String pretty = field(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "");
    String name = pretty.equals("unknown") ? System.getProperty("os.name") : pretty;
    return name + ", kernel " + System.getProperty("os.version");
  }

  /** The value of the first {@code name: value} or {@code name=value} line of a file. */
  private static String field(Path file, String name) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(name)) {
          int sep = line.indexOf(':') >= 0 ? line.indexOf(':') : line.indexOf('=');
          return line.substring(sep + 1).trim();
        }
      }
    } catch (IOException e) {
      // Not Linux, or not readable: said below.
    }
    return "unknown";
  }
}
