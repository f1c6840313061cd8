package io.pipeserve.runtime.trace;

import io.pipeserve.api.TraceSpec;
import io.pipeserve.api.TraceSpec.OpenTelemetrySpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Triton's {@code --trace-config} flags: {@code <setting>=<value>} for the global settings (rate,
 * level, count, mode) and {@code <mode>,<setting>=<value>} for a mode's own (triton: file,
 * log-frequency; opentelemetry: url, resource, bsp_max_queue_size, bsp_schedule_delay,
 * bsp_max_export_batch_size). The grammar and the values accepted follow Triton's
 * command_line_parser.cc: the mode name is case-insensitive, level may repeat and the levels add
 * up, and OFF anywhere turns tracing off. Unlike Triton, an unknown setting is an error rather than
 * silently ignored, so a typo does not leave tracing off.
 */
public final class TraceConfigFlags {
  private TraceConfigFlags() {}

  /**
   * The settings the flags give; unset fields are null.
   *
   * @throws IllegalArgumentException whose message starts with the flag at fault
   */
  public static TraceSpec parse(List<String> flags) {
    Builder b = new Builder();
    for (String flag : flags) {
      try {
        b.add(flag);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--trace-config " + flag + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** {@code base} (the spec file's trace) with every field the flags set replaced. */
  public static TraceSpec overlay(TraceSpec base, TraceSpec flags) {
    OpenTelemetrySpec b = base.opentelemetry();
    OpenTelemetrySpec f = flags.opentelemetry();
    OpenTelemetrySpec otel;
    if (f == null) {
      otel = b;
    } else if (b == null) {
      otel = f;
    } else {
      otel =
          new OpenTelemetrySpec(
              or(f.url(), b.url()),
              f.resource() == null
                  ? b.resource()
                  : OpenTelemetrySettings.mergeResource(
                      b.resource() == null ? List.of() : b.resource(), f.resource()),
              or(f.bspMaxQueueSize(), b.bspMaxQueueSize()),
              or(f.bspScheduleDelay(), b.bspScheduleDelay()),
              or(f.bspMaxExportBatchSize(), b.bspMaxExportBatchSize()));
    }
    return new TraceSpec(
        or(flags.level(), base.level()),
        or(flags.rate(), base.rate()),
        or(flags.count(), base.count()),
        or(flags.mode(), base.mode()),
        or(flags.file(), base.file()),
        or(flags.logFrequency(), base.logFrequency()),
        otel);
  }

  private static <T> T or(T first, T second) {
    return first != null ? first : second;
  }

  private static final class Builder {
    private final Set<String> levels = new LinkedHashSet<>();
    private boolean off;
    private Integer rate;
    private Integer count;
    private String mode;
    private String file;
    private Integer logFrequency;
    private String url;
    private List<String> resource;
    private Integer bspMaxQueueSize;
    private Integer bspScheduleDelay;
    private Integer bspMaxExportBatchSize;

    void add(String flag) {
      int comma = flag.indexOf(',');
      int eq = flag.indexOf('=', comma + 1);
      if (comma == 0) {
        throw new IllegalArgumentException(
            "No trace mode specified. --trace-config option format is"
                + " <trace mode>,<setting>=<value> or <setting>=<value>");
      }
      String settingMode = comma > 0 && (eq < 0 || comma < eq) ? flag.substring(0, comma) : null;
      int settingStart = settingMode == null ? 0 : comma + 1;
      eq = flag.indexOf('=', settingStart);
      if (eq < 0) {
        throw new IllegalArgumentException(
            "--trace-config option format is '<trace mode>,<setting>=<value>' or"
                + " '<setting>=<value>'");
      }
      String setting = flag.substring(settingStart, eq);
      String value = flag.substring(eq + 1);
      if (setting.isEmpty() || value.isEmpty()) {
        throw new IllegalArgumentException(
            "--trace-config option format is '<trace mode>,<setting>=<value>' or"
                + " '<setting>=<value>'");
      }
      if (settingMode == null) {
        global(setting, value);
      } else if (TraceMode.of(settingMode) == TraceMode.TRITON) {
        triton(setting, value);
      } else {
        openTelemetry(setting, value);
      }
    }

    private void global(String setting, String value) {
      switch (setting) {
        case "rate" -> rate = integer(value, 0);
        case "count" -> count = integer(value, -1);
        case "mode" -> mode = TraceMode.of(value).wireName();
        case "level" -> level(value);
        default ->
            throw new IllegalArgumentException(
                "unknown setting '"
                    + setting
                    + "'; the global settings are rate, level, count and mode (file and"
                    + " log-frequency take the mode: triton,file=PATH)");
      }
    }

    // Triton's ParseTraceLevelOption: the deprecated --trace-level spellings still work.
    private void level(String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "off", "false" -> off = true;
        case "timestamps", "true", "on", "min", "max" -> levels.add("TIMESTAMPS");
        case "tensors" -> levels.add("TENSORS");
        default ->
            throw new IllegalArgumentException(
                "invalid value for trace level option: "
                    + value
                    + "; expected OFF, TIMESTAMPS or TENSORS");
      }
    }

    private void triton(String setting, String value) {
      switch (setting) {
        case "file" -> file = value;
        // Triton spells it log-frequency; the protocol key log_frequency is accepted too.
        case "log-frequency", "log_frequency" -> logFrequency = integer(value, 0);
        default ->
            throw new IllegalArgumentException(
                "unknown triton setting '" + setting + "'; expected file or log-frequency");
      }
    }

    private void openTelemetry(String setting, String value) {
      switch (setting) {
        case "url" -> url = url(value);
        case "resource" -> {
          if (value.indexOf('=') <= 0) {
            throw new IllegalArgumentException("expecting resource=<key>=<value>");
          }
          resource = resource == null ? new ArrayList<>() : resource;
          resource.add(value);
        }
        case "bsp_max_queue_size" -> bspMaxQueueSize = integer(value, 1);
        case "bsp_schedule_delay" -> bspScheduleDelay = integer(value, 0);
        case "bsp_max_export_batch_size" -> bspMaxExportBatchSize = integer(value, 1);
        default ->
            throw new IllegalArgumentException(
                "unknown opentelemetry setting '"
                    + setting
                    + "'; expected url, resource, bsp_max_queue_size, bsp_schedule_delay or"
                    + " bsp_max_export_batch_size");
      }
    }

    TraceSpec build() {
      List<String> level = off ? List.of("OFF") : levels.isEmpty() ? null : List.copyOf(levels);
      boolean anyOtel =
          url != null
              || resource != null
              || bspMaxQueueSize != null
              || bspScheduleDelay != null
              || bspMaxExportBatchSize != null;
      return new TraceSpec(
          level,
          rate,
          count,
          mode,
          file,
          logFrequency,
          anyOtel
              ? new OpenTelemetrySpec(
                  url, resource, bspMaxQueueSize, bspScheduleDelay, bspMaxExportBatchSize)
              : null);
    }

    private static int integer(String value, int min) {
      int parsed;
      try {
        parsed = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid option value. Got " + value);
      }
      if (parsed < min) {
        throw new IllegalArgumentException("must be >= " + min + ", got " + value);
      }
      return parsed;
    }

    private static String url(String value) {
      try {
        URI uri = new URI(value);
        if (uri.getScheme() != null
            && uri.getScheme().toLowerCase(Locale.ROOT).startsWith("http")
            && uri.getHost() != null) {
          return value;
        }
      } catch (URISyntaxException e) {
        // Reported below.
      }
      throw new IllegalArgumentException(
          "expecting an http(s) URL such as http://collector:4318/v1/traces, got " + value);
    }
  }
}
