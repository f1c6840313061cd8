package io.pipeserve.runtime.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry exporter's settings: one exporter per process, so these are global only.
 *
 * @param url OTLP/HTTP traces endpoint
 * @param resource resource attributes, each {@code key=value}, one per key
 * @param bspMaxQueueSize batch span processor queue size
 * @param bspScheduleDelay batch span processor export delay, ms
 * @param bspMaxExportBatchSize batch span processor batch size
 */
public record OpenTelemetrySettings(
    String url,
    List<String> resource,
    int bspMaxQueueSize,
    int bspScheduleDelay,
    int bspMaxExportBatchSize) {
  public OpenTelemetrySettings {
    resource = List.copyOf(resource);
  }

  OpenTelemetrySettings withUrl(String newUrl) {
    return new OpenTelemetrySettings(
        newUrl, resource, bspMaxQueueSize, bspScheduleDelay, bspMaxExportBatchSize);
  }

  /** These settings with {@code attributes} added; an attribute replaces one of the same key. */
  OpenTelemetrySettings withResource(List<String> attributes) {
    return new OpenTelemetrySettings(
        url,
        mergeResource(resource, attributes),
        bspMaxQueueSize,
        bspScheduleDelay,
        bspMaxExportBatchSize);
  }

  /** {@code base} then {@code over}, one entry per key, the last value of a key winning. */
  static List<String> mergeResource(List<String> base, List<String> over) {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (List<String> list : List.of(base, over)) {
      for (String attribute : list) {
        int eq = attribute.indexOf('=');
        byKey.put(attribute.substring(0, eq), attribute);
      }
    }
    return List.copyOf(byKey.values());
  }
}
