package io.pipeserve.runtime.trace;

import java.util.Set;

/**
 * The effective trace settings of one scope (global, the pipeline, or one op), every field
 * resolved. Immutable: a change makes a new one.
 *
 * @param levels what is recorded; empty = OFF
 * @param rate trace one request in every {@code rate}; 0 traces only requests bringing a W3C trace
 *     context
 * @param count how many traces this setting allows when it is set; -1 for no limit (what is left of
 *     it is {@link TraceSnapshot#remainingCount})
 * @param mode where traces go
 * @param file the trace file (triton mode); empty when none
 * @param logFrequency write the file every N traces; 0 keeps them until shutdown or a change
 * @param opentelemetry the exporter's settings (opentelemetry mode)
 */
public record TraceSetting(
    Set<TraceLevel> levels,
    int rate,
    int count,
    TraceMode mode,
    String file,
    int logFrequency,
    OpenTelemetrySettings opentelemetry) {
  public TraceSetting {
    levels = Set.copyOf(levels);
  }

  public boolean isOff() {
    return levels.isEmpty();
  }

  public boolean has(TraceLevel level) {
    return levels.contains(level);
  }

  /**
   * Whether traces of this setting have somewhere to go: triton mode needs a trace file (Triton
   * samples nothing without one either).
   */
  boolean hasDestination() {
    return mode == TraceMode.OPENTELEMETRY || !file.isEmpty();
  }
}
