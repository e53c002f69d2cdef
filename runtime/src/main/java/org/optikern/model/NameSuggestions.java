package org.optikern.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The message for a name that is not known: the nearest known name when one is a likely typo,
 * otherwise the whole list, so that the author need not look the names up.
 */
final class NameSuggestions {
  private NameSuggestions() {}

  static String unknownName(String name, List<String> known) {
    String message = "unknown name '" + name + "'";
    int tolerance = name.length() <= 3 ? 1 : 2;
    Optional<String> nearest = known.stream()
        .filter(k -> editDistance(k, name) <= tolerance)
        .min(Comparator.comparingInt(k -> editDistance(k, name)));
    return nearest.map(n -> message + " (did you mean '" + n + "'?)").orElse(message + " (known: " + String.join(", ", known) + ")");
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
