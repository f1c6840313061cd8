package io.pipeserve.api;

import java.util.Collection;
import java.util.List;

/** Messages for a value outside a fixed set of names, with the nearest name as a hint. */
final class Choices {
  // Two edits catch the usual typos (a missing, doubled or swapped letter) without suggesting
  // unrelated names for short inputs.
  private static final int MAX_DISTANCE = 2;

  private Choices() {}

  /**
   * "unknown step 'resise' (known: ...)", with "did you mean" when a name is close.
   *
   * @param what the kind of name, e.g. "step"
   * @param known the allowed names; a List keeps its order, other collections are sorted
   */
  static String unknown(String what, String value, Collection<String> known) {
    List<String> names =
        known instanceof List<String> list ? list : known.stream().sorted().toList();
    String hint = closest(value, names);
    return "unknown "
        + what
        + " '"
        + value
        + "'"
        + (hint == null ? "" : ", did you mean '" + hint + "'?")
        + " (known: "
        + String.join(", ", names)
        + ")";
  }

  private static String closest(String value, Collection<String> names) {
    String best = null;
    int bestDistance = MAX_DISTANCE + 1;
    for (String name : names) {
      // Typos seldom hit the first letter, and a different one usually means a different thing:
      // "gpu" is not a misspelt "cpu".
      if (value.isEmpty()
          || name.isEmpty()
          || Character.toLowerCase(value.charAt(0)) != Character.toLowerCase(name.charAt(0))) {
        continue;
      }
      int d = distance(value.toLowerCase(), name.toLowerCase());
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return best;
  }

  // Levenshtein distance, two rows.
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
