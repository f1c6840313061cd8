package io.pipeserve.runtime.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scope's settings as the trace protocol shows them, keys and order as Triton answers: level,
 * rate, count left, then log_frequency and trace_file in triton mode, trace_mode, then the
 * exporter's settings in opentelemetry mode. Every value is a string; trace_level and resource may
 * hold several.
 */
public final class TraceSettingView {
  private TraceSettingView() {}

  /** The settings of {@code model} in {@code snapshot}; null means global. */
  public static Map<String, List<String>> of(TraceSnapshot snapshot, String model) {
    TraceSetting s = snapshot.setting(model);
    Map<String, List<String>> view = new LinkedHashMap<>();
    view.put(TraceUpdate.LEVEL, TraceLevel.names(s.levels()));
    view.put(TraceUpdate.RATE, List.of(Integer.toString(s.rate())));
    view.put(TraceUpdate.COUNT, List.of(Integer.toString(snapshot.remainingCount(model))));
    if (s.mode() == TraceMode.TRITON) {
      view.put(TraceUpdate.LOG_FREQUENCY, List.of(Integer.toString(s.logFrequency())));
      view.put(TraceUpdate.FILE, List.of(s.file()));
    }
    view.put(TraceUpdate.MODE, List.of(s.mode().wireName()));
    if (s.mode() == TraceMode.OPENTELEMETRY) {
      OpenTelemetrySettings otel = s.opentelemetry();
      view.put(TraceUpdate.URL, List.of(otel.url()));
      view.put(TraceUpdate.RESOURCE, otel.resource());
      view.put(TraceUpdate.BSP_MAX_QUEUE_SIZE, List.of(Integer.toString(otel.bspMaxQueueSize())));
      view.put(TraceUpdate.BSP_SCHEDULE_DELAY, List.of(Integer.toString(otel.bspScheduleDelay())));
      view.put(
          TraceUpdate.BSP_MAX_EXPORT_BATCH_SIZE,
          List.of(Integer.toString(otel.bspMaxExportBatchSize())));
    }
    return view;
  }

  /**
   * Whether HTTP shows {@code key} as a JSON array: trace_level only. A resource is one string of
   * comma-separated {@code key=value}, as OTEL_RESOURCE_ATTRIBUTES writes it.
   */
  public static boolean isList(String key) {
    return key.equals(TraceUpdate.LEVEL);
  }
}
