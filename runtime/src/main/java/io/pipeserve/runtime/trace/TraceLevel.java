package io.pipeserve.runtime.trace;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a trace records. Several may be on at once; none on is Triton's {@code OFF}, which is why
 * OFF is not a constant here: a set of levels is the setting, and the empty set reads "OFF".
 */
public enum TraceLevel {
  TIMESTAMPS,
  TENSORS;

  static final String OFF = "OFF";

  /**
   * The levels named by {@code names} (OFF, TIMESTAMPS, TENSORS, exactly as the trace protocol
   * spells them).
   *
   * @throws IllegalArgumentException naming the bad value: an unknown level, or OFF with others
   */
  static Set<TraceLevel> parse(Collection<String> names) {
    EnumSet<TraceLevel> levels = EnumSet.noneOf(TraceLevel.class);
    for (String name : names) {
      if (name.equals(OFF)) {
        if (names.size() > 1) {
          throw new IllegalArgumentException("Expect only one trace level 'OFF' is specified");
        }
      } else {
        levels.add(of(name));
      }
    }
    return Set.copyOf(levels);
  }

  private static TraceLevel of(String name) {
    for (TraceLevel level : values()) {
      if (level.name().equals(name)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "unknown trace level '" + name + "'; expected OFF, TIMESTAMPS or TENSORS");
  }

  /** The protocol's form: ["OFF"], or the levels on in Triton's order (TIMESTAMPS, TENSORS). */
  static List<String> names(Set<TraceLevel> levels) {
    if (levels.isEmpty()) {
      return List.of(OFF);
    }
    return EnumSet.copyOf(levels).stream().map(Enum::name).toList();
  }
}
