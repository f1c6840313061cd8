package io.pipeserve.api;

import java.util.List;

/**
 * Triton's trace settings. Every field may be unset (null): an op's unset field follows the global
 * setting, and a global unset field follows the start-up default.
 *
 * @param level OFF, TIMESTAMPS and/or TENSORS
 * @param rate trace one request in every {@code rate}; 0 traces only requests bringing a context
 * @param count how many more traces; -1 for no limit
 * @param mode {@code triton} or {@code opentelemetry}
 * @param file trace file (triton mode)
 * @param logFrequency write the file every N traces; 0 keeps them until shutdown
 * @param opentelemetry OpenTelemetry exporter settings
 */
public record TraceSpec(
    List<String> level,
    Integer rate,
    Integer count,
    String mode,
    String file,
    Integer logFrequency,
    OpenTelemetrySpec opentelemetry) {
  public static final TraceSpec EMPTY = new TraceSpec(null, null, null, null, null, null, null);

  public static final List<String> LEVELS = List.of("OFF", "TIMESTAMPS", "TENSORS");
  public static final List<String> MODES = List.of("triton", "opentelemetry");

  public TraceSpec {
    level = level == null ? null : List.copyOf(level);
  }

  /**
   * OpenTelemetry exporter settings (also from OTEL_RESOURCE_ATTRIBUTES and OTEL_BSP_*).
   *
   * @param url OTLP/HTTP traces endpoint
   * @param resource resource attributes, each "key=value"
   * @param bspMaxQueueSize batch span processor queue size
   * @param bspScheduleDelay batch span processor delay in ms
   * @param bspMaxExportBatchSize batch span processor batch size
   */
  public record OpenTelemetrySpec(
      String url,
      List<String> resource,
      Integer bspMaxQueueSize,
      Integer bspScheduleDelay,
      Integer bspMaxExportBatchSize) {
    public OpenTelemetrySpec {
      resource = resource == null ? null : List.copyOf(resource);
    }
  }
}
