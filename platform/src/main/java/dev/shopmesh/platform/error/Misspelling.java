package dev.shopmesh.platform.error;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The name a mistyped one likely meant, for a message that says it: a setting ("--grpc-prot (did you
 * mean --grpc-port?)"), a JSON field. Said only "ignored" or "required", a typo left the user to find
 * the right name in the docs.
 */
public final class Misspelling {

  /** At most two letters off: a longer way off is another word. */
  private static final int MAX_DISTANCE = 2;

  private Misspelling() {
  }

  /** Of {@code known}, the one nearest {@code word} and other than it, within two letters; of two as near, the first in order, each time. */
  public static Optional<String> of(String word, Collection<String> known) {
    String guess = null;
    int best = MAX_DISTANCE + 1;
    for (String candidate : new TreeSet<>(known)) {
      int distance = editDistance(word, candidate);
      if (distance > 0 && distance < best) {
        best = distance;
        guess = candidate;
      }
    }
    return Optional.ofNullable(guess);
  }

  /**
   * Of the names {@code given}, the first not {@code known} that misspells a known one not given too,
   * with the one it likely means: a name far from every known one, or beside the one it resembles
   * ({@code customerIp} beside {@code customerId}), belongs to someone else (a newer caller) and is no typo.
   */
  public static Optional<Map.Entry<String, String>> typoAmong(Collection<String> given, Collection<String> known) {
    for (String name : given) {
      if (!known.contains(name)) {
        Optional<String> meant = of(name, known).filter(m -> !given.contains(m));
        if (meant.isPresent()) {
          return Optional.of(Map.entry(name, meant.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** Levenshtein's: the fewest letters inserted, removed or replaced to turn one into the other. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
