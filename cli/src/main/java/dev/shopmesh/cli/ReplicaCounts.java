package dev.shopmesh.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many replicas of each backend service {@code up} runs, from
 * {@code --replicas catalog-service=3,payment-service=2}; services not named get one replica.
 */
record ReplicaCounts(Map<String, Integer> counts) {

  static final int MAX = 16;

  /** One replica of every backend service. */
  static final ReplicaCounts ONE_EACH = new ReplicaCounts(Map.of());

  ReplicaCounts {
    // In deployment order whatever order they were given in, each backend present.
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (Services.Service service : Services.BACKENDS) {
      ordered.put(service.name(), counts.getOrDefault(service.name(), 1));
    }
    counts = Collections.unmodifiableMap(ordered);
  }

  int of(String service) {
    return counts.getOrDefault(service, 1);
  }

  /** Parses {@code SERVICE=N[,SERVICE=N…]}; the message of a failure names the part that is wrong. */
  static ReplicaCounts parse(String value) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      String entry = part.strip();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + entry + "' must look like SERVICE=N, e.g. catalog-service=3");
      }
      String name = entry.substring(0, eq).strip();
      String number = entry.substring(eq + 1).strip();
      if (Services.named(name, Services.BACKENDS).isEmpty()) {
        throw new IllegalArgumentException("unknown service '" + name + "' in '" + entry + "'; services with replicas: "
          + Services.names(Services.BACKENDS) + " (the gateway always runs once)");
      }
      int n;
      try {
        n = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the replica count in '" + entry + "' must be a whole number from 1 to " + MAX);
      }
      if (n < 1 || n > MAX) {
        throw new IllegalArgumentException("the replica count in '" + entry + "' must be from 1 to " + MAX + ", got " + n);
      }
      if (counts.put(name, n) != null) {
        throw new IllegalArgumentException(name + " is given more than once");
      }
    }
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("name at least one service, e.g. catalog-service=3");
    }
    return new ReplicaCounts(counts);
  }

  /** For picocli: a bad value becomes a usage error naming the option and the part that is wrong. */
  static final class Converter implements ITypeConverter<ReplicaCounts> {
    @Override
    public ReplicaCounts convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
