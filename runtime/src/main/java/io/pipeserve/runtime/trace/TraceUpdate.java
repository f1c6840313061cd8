package io.pipeserve.runtime.trace;

import io.pipeserve.runtime.trace.TraceSettingException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace-protocol change, parsed and checked: the settings it sets and those it clears. Keys and
 * values are the protocol's (Triton's): values are strings, several only for trace_level and
 * resource, and no value clears a setting.
 */
final class TraceUpdate {
  static final String LEVEL = "trace_level";
  static final String RATE = "trace_rate";
  static final String COUNT = "trace_count";
  static final String LOG_FREQUENCY = "log_frequency";
  static final String FILE = "trace_file";
  static final String MODE = "trace_mode";
  static final String URL = "url";
  static final String RESOURCE = "resource";
  static final String BSP_MAX_QUEUE_SIZE = "bsp_max_queue_size";
  static final String BSP_SCHEDULE_DELAY = "bsp_schedule_delay";
  static final String BSP_MAX_EXPORT_BATCH_SIZE = "bsp_max_export_batch_size";

  /** Fixed at start-up: the file and the exporter's batching cannot be rebuilt under traffic. */
  private static final Set<String> FIXED =
      Set.of(MODE, BSP_MAX_QUEUE_SIZE, BSP_SCHEDULE_DELAY, BSP_MAX_EXPORT_BATCH_SIZE);

  private static final List<String> CHANGEABLE =
      List.of(LEVEL, RATE, COUNT, LOG_FREQUENCY, URL, RESOURCE);

  private enum Field {
    LEVEL,
    RATE,
    COUNT,
    LOG_FREQUENCY,
    URL,
    RESOURCE
  }

  private final TraceOverrides set;
  private final Set<Field> cleared;

  private TraceUpdate(TraceOverrides set, Set<Field> cleared) {
    this.set = set;
    this.cleared = cleared;
  }

  /**
   * Parses {@code values} (an empty list clears the setting).
   *
   * @param global whether the change is to the global setting (url and resource are global only)
   * @param current the global setting now: url and resource apply in opentelemetry mode only
   * @throws TraceSettingException naming the first setting at fault
   */
  static TraceUpdate parse(Map<String, List<String>> values, boolean global, TraceSetting current) {
    if (values.containsKey(FILE)) {
      // Triton's own words (its clients and tests look for them).
      throw new TraceSettingException(
          Reason.UNSUPPORTED, "trace file location can not be updated through network protocol");
    }
    for (String key : values.keySet()) {
      if (FIXED.contains(key)) {
        throw new TraceSettingException(
            Reason.UNSUPPORTED,
            key
                + " can not be updated through network protocol; it is set at start-up"
                + " (spec trace section or --trace-config)");
      }
      if (!CHANGEABLE.contains(key)) {
        throw TraceSettingException.invalid(
            "unknown trace setting '"
                + key
                + "'; expected one of "
                + CHANGEABLE
                + " or trace_file");
      }
    }
    Set<Field> cleared = EnumSet.noneOf(Field.class);
    Set<TraceLevel> levels = null;
    Integer rate = null;
    Integer count = null;
    Integer logFrequency = null;
    String url = null;
    List<String> resource = null;
    for (Map.Entry<String, List<String>> entry : values.entrySet()) {
      String key = entry.getKey();
      List<String> value = entry.getValue();
      if (key.equals(URL) || key.equals(RESOURCE)) {
        checkOpenTelemetryKey(key, global, current);
      }
      if (value.isEmpty()) {
        cleared.add(field(key));
        continue;
      }
      switch (key) {
        case LEVEL -> levels = levels(value);
        case RATE -> rate = integer(key, single(key, value), 0);
        case COUNT -> count = count(single(key, value));
        case LOG_FREQUENCY -> logFrequency = integer(key, single(key, value), 0);
        case URL -> url = url(single(key, value));
        default -> resource = resource(value);
      }
    }
    return new TraceUpdate(
        new TraceOverrides(levels, rate, count, logFrequency, url, resource), cleared);
  }

  /** {@code current} with this change made. */
  TraceOverrides applyTo(TraceOverrides current) {
    return new TraceOverrides(
        pick(Field.LEVEL, set.levels(), current.levels()),
        pick(Field.RATE, set.rate(), current.rate()),
        pick(Field.COUNT, set.count(), current.count()),
        pick(Field.LOG_FREQUENCY, set.logFrequency(), current.logFrequency()),
        pick(Field.URL, set.url(), current.url()),
        pick(Field.RESOURCE, set.resource(), current.resource()));
  }

  /** Whether trace_count was set or cleared: either starts the count over. */
  boolean setsCount() {
    return set.count() != null || cleared.contains(Field.COUNT);
  }

  boolean isEmpty() {
    return set.isEmpty() && cleared.isEmpty();
  }

  private <T> T pick(Field field, T newValue, T currentValue) {
    if (cleared.contains(field)) {
      return null;
    }
    return newValue != null ? newValue : currentValue;
  }

  private static Field field(String key) {
    return switch (key) {
      case LEVEL -> Field.LEVEL;
      case RATE -> Field.RATE;
      case COUNT -> Field.COUNT;
      case LOG_FREQUENCY -> Field.LOG_FREQUENCY;
      case URL -> Field.URL;
      default -> Field.RESOURCE;
    };
  }

  private static void checkOpenTelemetryKey(String key, boolean global, TraceSetting current) {
    if (!global) {
      throw TraceSettingException.invalid(
          key
              + ": one exporter serves the process, so "
              + key
              + " is a global setting only;"
              + " change it through /v2/trace/setting (gRPC: no model_name)");
    }
    if (current.mode() != TraceMode.OPENTELEMETRY) {
      throw TraceSettingException.invalid(
          key
              + ": applies in opentelemetry mode only, and trace_mode is "
              + current.mode().wireName());
    }
  }

  private static String single(String key, List<String> value) {
    if (value.size() != 1) {
      throw TraceSettingException.invalid("expect only 1 value for '" + key + "'");
    }
    return value.get(0);
  }

  private static Set<TraceLevel> levels(List<String> value) {
    try {
      return TraceLevel.parse(value);
    } catch (IllegalArgumentException e) {
      throw TraceSettingException.invalid(LEVEL + ": " + e.getMessage());
    }
  }

  private static int count(String value) {
    int count = parse(COUNT, value);
    if (count < -1) {
      throw TraceSettingException.invalid(
          "Unable to parse '" + COUNT + "'. Expecting value >= -1, got: " + value);
    }
    return count;
  }

  private static int integer(String key, String value, int min) {
    int parsed = parse(key, value);
    if (parsed < min) {
      throw TraceSettingException.invalid(
          "Unable to parse '"
              + key
              + "', value is out of range [ "
              + min
              + ", "
              + Integer.MAX_VALUE
              + " ], got: "
              + value);
    }
    return parsed;
  }

  private static int parse(String key, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw TraceSettingException.invalid("Unable to parse '" + key + "', got: " + value);
    }
  }

  private static String url(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null) {
        return value;
      }
    } catch (URISyntaxException e) {
      // Reported below, as any other value that is not an http(s) URL.
    }
    throw TraceSettingException.invalid(
        "Unable to parse '"
            + URL
            + "', expecting an http(s) URL such as"
            + " http://collector:4318/v1/traces, got: "
            + value);
  }

  private static List<String> resource(List<String> value) {
    for (String attribute : value) {
      if (attribute.indexOf('=') <= 0) {
        throw TraceSettingException.invalid(
            "Unable to parse '" + RESOURCE + "', expecting key=value, got: " + attribute);
      }
    }
    return value;
  }
}
