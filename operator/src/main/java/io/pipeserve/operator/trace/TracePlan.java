package io.pipeserve.operator.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.TraceSpec;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trace settings a spec asks of a running pod, in the trace protocol's terms (Triton's keys;
 * values are strings, {@code trace_level} an array): what to POST to each scope, and what a GET
 * must show afterwards.
 *
 * <p>Global fields the spec leaves unset are sent as Triton's defaults rather than cleared: a
 * cleared global field returns to the value the pod started with, which came from an older config
 * when the field was just removed from the spec. An op's unset field is cleared ({@code null}), so
 * that it follows the global value, as the op's spec means.
 *
 * <p>The mode, the file and the exporter's batching are fixed at start-up (the protocol refuses to
 * change them), so a change to them rolls the pods instead; the plan only checks the mode.
 *
 * @param global the body of {@code POST /v2/trace/setting}
 * @param ops the body of {@code POST /v2/models/{op}/trace/setting}, by op
 * @param expected what a GET of each scope must show, by scope ({@link #GLOBAL} or an op)
 * @param hash identifies the plan: the same settings give the same hash
 */
public record TracePlan(
    Map<String, Object> global,
    Map<String, Map<String, Object>> ops,
    Map<String, Map<String, Object>> expected,
    String hash) {
  /** The scope of the global settings in {@link #expected}. */
  public static final String GLOBAL = "";

  static final String LEVEL = "trace_level";
  static final String RATE = "trace_rate";
  static final String COUNT = "trace_count";
  static final String LOG_FREQUENCY = "log_frequency";
  static final String MODE = "trace_mode";
  static final String URL = "url";
  static final String RESOURCE = "resource";

  private static final String TRITON = "triton";
  private static final String OPENTELEMETRY = "opentelemetry";
  private static final String DEFAULT_URL = "http://localhost:4318/v1/traces";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public static TracePlan of(PipelineSpec spec) {
    TraceSpec trace = spec.trace();
    String mode = trace.mode() == null ? TRITON : trace.mode();
    Map<String, Object> global = new LinkedHashMap<>();
    global.put(LEVEL, trace.level() == null ? List.of("OFF") : trace.level());
    global.put(RATE, string(trace.rate(), 1000));
    global.put(COUNT, string(trace.count(), -1));
    if (mode.equals(TRITON)) {
      global.put(LOG_FREQUENCY, string(trace.logFrequency(), 0));
    } else {
      TraceSpec.OpenTelemetrySpec otel = trace.opentelemetry();
      global.put(URL, otel == null || otel.url() == null ? DEFAULT_URL : otel.url());
      if (otel != null && otel.resource() != null) {
        global.put(RESOURCE, String.join(",", otel.resource()));
      }
    }
    Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
    Map<String, Object> globalView = new LinkedHashMap<>(global);
    globalView.remove(RESOURCE); // The pod merges it with its environment's attributes.
    globalView.put(MODE, mode);
    expected.put(GLOBAL, globalView);
    Map<String, Map<String, Object>> ops = new LinkedHashMap<>();
    for (OpSpec op : spec.ops()) {
      TraceSpec own = op.trace() == null ? TraceSpec.EMPTY : op.trace();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(LEVEL, own.level());
      body.put(RATE, string(own.rate(), null));
      body.put(COUNT, string(own.count(), null));
      if (mode.equals(TRITON)) {
        body.put(LOG_FREQUENCY, string(own.logFrequency(), null));
      }
      ops.put(op.name(), body);
      Map<String, Object> view = new LinkedHashMap<>();
      for (var entry : body.entrySet()) {
        view.put(
            entry.getKey(),
            entry.getValue() != null ? entry.getValue() : global.get(entry.getKey()));
      }
      view.put(MODE, mode);
      expected.put(op.name(), view);
    }
    return new TracePlan(global, ops, expected, hash(global, ops));
  }

  /** Whether the body of a GET of {@code scope} shows what the plan asks. */
  public boolean shows(String scope, Map<String, Object> actual) {
    Map<String, Object> want = expected.get(scope);
    for (var entry : want.entrySet()) {
      Object have = actual.get(entry.getKey());
      if (entry.getKey().equals(COUNT)) {
        if (!countShows(entry.getValue(), have)) {
          return false;
        }
      } else if (entry.getKey().equals(LEVEL)) {
        // A set of levels: the pod lists them in its own order.
        if (!(have instanceof List<?> levels)
            || !Set.copyOf(levels).equals(Set.copyOf((List<?>) entry.getValue()))) {
          return false;
        }
      } else if (!entry.getValue().equals(have)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The protocol shows how many traces are left, which drops as requests are traced: any count from
   * the one set down to 0 shows it; -1 (no limit) stays -1.
   */
  private static boolean countShows(Object want, Object have) {
    try {
      int limit = Integer.parseInt(want.toString());
      int left = Integer.parseInt(String.valueOf(have));
      return limit < 0 ? left == limit : left >= 0 && left <= limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String string(Integer value, Integer fallback) {
    Integer v = value != null ? value : fallback;
    return v == null ? null : v.toString();
  }

  private static String hash(Object global, Object ops) {
    try {
      byte[] json = JSON.writeValueAsBytes(Map.of("global", global, "ops", ops));
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
          .substring(0, 16);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static byte[] json(Map<String, Object> body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
