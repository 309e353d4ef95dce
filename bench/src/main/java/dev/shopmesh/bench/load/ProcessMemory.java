package dev.shopmesh.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory, from Linux's {@code /proc/<pid>/status}: {@code VmRSS} (resident
 * now) and {@code VmHWM} (the most it has been resident, since it started). In kB; -1 where unknown.
 */
public record ProcessMemory(long rssKb, long peakKb) {

  public static final ProcessMemory UNKNOWN = new ProcessMemory(-1, -1);

  public static ProcessMemory of(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc/" + pid + "/status")));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  static ProcessMemory parse(String status) {
    return new ProcessMemory(kb(status, "VmRSS:"), kb(status, "VmHWM:"));
  }

  /** The value of a {@code Name:   1234 kB} line, or -1 without one. */
  private static long kb(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name)) {
        String[] words = line.substring(name.length()).trim().split("\\s+");
        if (words.length == 2 && words[1].equals("kB")) {
          return Long.parseLong(words[0]);
        }
      }
    }
    return -1;
  }

  /** Resident now, in MiB; NaN when unknown. */
  public double rssMiB() {
    return rssKb < 0 ? Double.NaN : rssKb / 1024.0;
  }

  /** The most resident since the start, in MiB; NaN when unknown. */
  public double peakMiB() {
    return peakKb < 0 ? Double.NaN : peakKb / 1024.0;
  }
}
