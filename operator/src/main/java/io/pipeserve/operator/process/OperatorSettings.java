package io.pipeserve.operator.process;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the operator runs, from its environment (the chart sets it).
 *
 * @param namespaces the namespaces whose Pipelines it reconciles; empty for all ({@code
 *     WATCH_NAMESPACES}, comma-separated)
 * @param leaseNamespace where the leader-election Lease lives ({@code POD_NAMESPACE}); null turns
 *     leader election off (one replica, or a local run)
 * @param leaseName the Lease's name ({@code LEASE_NAME})
 * @param port the port of health probes and metrics ({@code HTTP_PORT})
 * @param traceTimeout the limit of one trace-protocol request to a pod ({@code TRACE_TIMEOUT_MS})
 * @param traceRetry how soon pods whose trace settings are not in step are tried again ({@code
 *     TRACE_RETRY_MS})
 */
public record OperatorSettings(
    Set<String> namespaces,
    String leaseNamespace,
    String leaseName,
    int port,
    Duration traceTimeout,
    Duration traceRetry) {

  public static final OperatorSettings DEFAULTS =
      new OperatorSettings(
          Set.of(),
          null,
          "pipeserve-operator",
          8080,
          Duration.ofSeconds(3),
          Duration.ofSeconds(10));

  /**
   * The settings {@code env} names, the defaults for the rest.
   *
   * @throws IllegalArgumentException naming the variable whose value is not usable
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String namespaces = env.getOrDefault("WATCH_NAMESPACES", "");
    return new OperatorSettings(
        Arrays.stream(namespaces.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        blankToNull(env.get("POD_NAMESPACE")),
        env.getOrDefault("LEASE_NAME", DEFAULTS.leaseName()),
        integer(env, "HTTP_PORT", DEFAULTS.port()),
        Duration.ofMillis(
            integer(env, "TRACE_TIMEOUT_MS", (int) DEFAULTS.traceTimeout().toMillis())),
        Duration.ofMillis(integer(env, "TRACE_RETRY_MS", (int) DEFAULTS.traceRetry().toMillis())));
  }

  /** These settings with {@code namespaces} watched. */
  public OperatorSettings watching(Set<String> namespaces) {
    return new OperatorSettings(
        Set.copyOf(namespaces), leaseNamespace, leaseName, port, traceTimeout, traceRetry);
  }

  /** These settings with trace retries after {@code retry}. */
  public OperatorSettings traceRetry(Duration retry) {
    return new OperatorSettings(namespaces, leaseNamespace, leaseName, port, traceTimeout, retry);
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
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
        name + ": expected a whole number >= 0, got '" + value + "'");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
