package io.pipeserve.runtime.trace;

import java.util.List;
import java.util.Set;

/**
 * The fields one scope (global, or one model) specifies itself; null = not specified, so the field
 * falls back (a model to the global setting, the global setting to the start-up value). Only what
 * the trace protocol can change is here: mode, file and the batch span processor are fixed at
 * start-up.
 *
 * @param url global only
 * @param resource global only; attributes added to the start-up resource
 */
record TraceOverrides(
    Set<TraceLevel> levels,
    Integer rate,
    Integer count,
    Integer logFrequency,
    String url,
    List<String> resource) {
  static final TraceOverrides NONE = new TraceOverrides(null, null, null, null, null, null);

  TraceOverrides {
    levels = levels == null ? null : Set.copyOf(levels);
    resource = resource == null ? null : List.copyOf(resource);
  }

  boolean isEmpty() {
    return equals(NONE);
  }

  /** {@code setting} with the fields specified here. */
  TraceSetting applyTo(TraceSetting setting) {
    OpenTelemetrySettings otel = setting.opentelemetry();
    if (url != null) {
      otel = otel.withUrl(url);
    }
    if (resource != null) {
      otel = otel.withResource(resource);
    }
    return new TraceSetting(
        levels != null ? levels : setting.levels(),
        rate != null ? rate : setting.rate(),
        count != null ? count : setting.count(),
        setting.mode(),
        setting.file(),
        logFrequency != null ? logFrequency : setting.logFrequency(),
        otel);
  }
}
