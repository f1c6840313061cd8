package io.pipeserve.runtime.trace;

import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.TraceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up trace settings: Triton's defaults, then the OpenTelemetry environment variables,
 * then the spec's {@code trace} (which already carries the {@code --trace-config} flags). Clearing
 * a global setting over the protocol returns it to this value.
 */
final class StartupSettings {
  static final String DEFAULT_URL = "http://localhost:4318/v1/traces";
  static final String DEFAULT_SERVICE = "service.name=pipeserve";

  private StartupSettings() {}

  /**
   * @param env the process environment (OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*)
   * @throws IllegalArgumentException naming the variable or field at fault
   */
  static TraceSetting global(TraceSpec trace, Map<String, String> env) {
    TraceSpec.OpenTelemetrySpec otel = trace.opentelemetry();
    List<String> resource = new ArrayList<>(List.of(DEFAULT_SERVICE));
    resource.addAll(environmentResource(env));
    resource =
        OpenTelemetrySettings.mergeResource(
            resource, otel == null || otel.resource() == null ? List.of() : otel.resource());
    int queue =
        pick(otel == null ? null : otel.bspMaxQueueSize(), env, "OTEL_BSP_MAX_QUEUE_SIZE", 2048);
    int delay =
        pick(otel == null ? null : otel.bspScheduleDelay(), env, "OTEL_BSP_SCHEDULE_DELAY", 5000);
    int batch =
        pick(
            otel == null ? null : otel.bspMaxExportBatchSize(),
            env,
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
            512);
    if (batch > queue) {
      // The OpenTelemetry SDK refuses such a batch span processor.
      throw new IllegalArgumentException(
          "trace.opentelemetry.bspMaxExportBatchSize ("
              + batch
              + ") must be <= bspMaxQueueSize ("
              + queue
              + "); set them in the spec, with --trace-config opentelemetry,bsp_...=N or"
              + " OTEL_BSP_*");
    }
    return new TraceSetting(
        trace.level() == null ? java.util.Set.of() : TraceLevel.parse(trace.level()),
        trace.rate() == null ? 1000 : trace.rate(),
        trace.count() == null ? -1 : trace.count(),
        trace.mode() == null ? TraceMode.TRITON : TraceMode.of(trace.mode()),
        trace.file() == null ? "" : trace.file(),
        trace.logFrequency() == null ? 0 : trace.logFrequency(),
        new OpenTelemetrySettings(
            otel == null || otel.url() == null ? DEFAULT_URL : otel.url(),
            resource,
            queue,
            delay,
            batch));
  }

  /**
   * What each op's spec sets itself. An op may set level, rate, count and logFrequency; mode, file
   * and the exporter serve the whole process.
   *
   * @throws IllegalArgumentException naming the op field that only the global trace may set
   */
  static Map<String, TraceOverrides> ops(PipelineSpec spec) {
    Map<String, TraceOverrides> ops = new LinkedHashMap<>();
    for (int i = 0; i < spec.ops().size(); i++) {
      OpSpec op = spec.ops().get(i);
      TraceSpec t = op.trace();
      if (t == null) {
        continue;
      }
      String at = "ops[" + i + "].trace.";
      if (t.mode() != null || t.file() != null || t.opentelemetry() != null) {
        String field = t.mode() != null ? "mode" : t.file() != null ? "file" : "opentelemetry";
        throw new IllegalArgumentException(
            at
                + field
                + ": only the global trace sets "
                + field
                + "; one process has one trace"
                + " destination (move it to the top-level trace section)");
      }
      ops.put(
          op.name(),
          new TraceOverrides(
              t.level() == null ? null : TraceLevel.parse(t.level()),
              t.rate(),
              t.count(),
              t.logFrequency(),
              null,
              null));
    }
    return ops;
  }

  /** OTEL_RESOURCE_ATTRIBUTES: {@code key=value} pairs separated by commas. */
  private static List<String> environmentResource(Map<String, String> env) {
    String value = env.get("OTEL_RESOURCE_ATTRIBUTES");
    List<String> attributes = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return attributes;
    }
    for (String attribute : value.split(",")) {
      String a = attribute.strip();
      if (a.indexOf('=') <= 0) {
        throw new IllegalArgumentException(
            "OTEL_RESOURCE_ATTRIBUTES: expecting key=value pairs separated by commas, got '"
                + attribute
                + "'");
      }
      attributes.add(a);
    }
    return attributes;
  }

  private static int pick(Integer specValue, Map<String, String> env, String variable, int def) {
    if (specValue != null) {
      return specValue;
    }
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return def;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        variable + ": expecting an integer >= 0, got '" + value + "'");
  }
}
