package io.pipeserve.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** Rules of the global {@code trace} and of each op's {@code trace}. */
final class TraceRules {
  private TraceRules() {}

  /**
   * @param global whether this is the top-level trace, the only one that may name a file
   */
  static void check(String at, TraceSpec trace, boolean global, Problems problems) {
    checkLevels(at + ".level", trace.level(), problems);
    problems.atLeast(at + ".rate", trace.rate(), 0);
    problems.atLeast(at + ".count", trace.count(), -1);
    if (trace.mode() != null && !TraceSpec.MODES.contains(trace.mode())) {
      problems.add(at + ".mode", Choices.unknown("mode", trace.mode(), TraceSpec.MODES));
    }
    if (trace.file() != null) {
      if (!global) {
        // One process writes one trace file; ops differ only in what and how often they trace.
        problems.add(at + ".file", "only the global trace.file may be set");
      } else if (trace.file().isBlank()) {
        problems.add(at + ".file", "must not be blank");
      }
    }
    problems.atLeast(at + ".logFrequency", trace.logFrequency(), 0);
    if (trace.opentelemetry() != null) {
      checkOpenTelemetry(at + ".opentelemetry", trace.opentelemetry(), problems);
    }
  }

  private static void checkLevels(String at, List<String> levels, Problems problems) {
    if (levels == null) {
      return;
    }
    for (int i = 0; i < levels.size(); i++) {
      if (!TraceSpec.LEVELS.contains(levels.get(i))) {
        problems.add(at + "[" + i + "]", Choices.unknown("level", levels.get(i), TraceSpec.LEVELS));
      }
    }
    if (levels.contains("OFF") && levels.size() > 1) {
      problems.add(at, "OFF cannot be combined with other levels");
    }
  }

  private static void checkOpenTelemetry(
      String at, TraceSpec.OpenTelemetrySpec otel, Problems problems) {
    if (otel.url() != null && !isHttpUrl(otel.url())) {
      problems.add(at + ".url", "must be an http(s) URL, got '" + otel.url() + "'");
    }
    List<String> resource = otel.resource() == null ? List.of() : otel.resource();
    for (int i = 0; i < resource.size(); i++) {
      if (resource.get(i).indexOf('=') <= 0) {
        problems.add(
            at + ".resource[" + i + "]",
            "must be key=value with a non-empty key, got '" + resource.get(i) + "'");
      }
    }
    problems.atLeast(at + ".bspMaxQueueSize", otel.bspMaxQueueSize(), 1);
    problems.atLeast(at + ".bspScheduleDelay", otel.bspScheduleDelay(), 0);
    problems.atLeast(at + ".bspMaxExportBatchSize", otel.bspMaxExportBatchSize(), 1);
    // The OpenTelemetry SDK refuses to start a batch span processor otherwise.
    if (otel.bspMaxQueueSize() != null
        && otel.bspMaxExportBatchSize() != null
        && otel.bspMaxExportBatchSize() > otel.bspMaxQueueSize()
        && otel.bspMaxQueueSize() > 0) {
      problems.add(at + ".bspMaxExportBatchSize", "must be <= bspMaxQueueSize");
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
