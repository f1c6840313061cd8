package io.pipeserve.operator.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads its settings from the environment ({@link OperatorSettings}; {@code
 * --namespaces a,b} overrides {@code WATCH_NAMESPACES}), takes the leader-election Lease when
 * several replicas run, serves probes and metrics, and on SIGTERM stops taking work, lets the
 * reconciliations under way finish, and exits.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    OperatorSettings settings;
    try {
      settings = settings(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("pipeserve-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    final OperatorSettings s = settings;
    PipelineOperator operator =
        PipelineOperator.create(
            client,
            settings,
            o -> {
              o.withMetrics(
                  MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                      .build());
              if (s.leaseNamespace() != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(s.leaseName(), s.leaseNamespace()));
              }
            });
    OperatorEndpoints endpoints =
        OperatorEndpoints.start(settings.port(), operator.operator(), registry);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping: finishing the reconciliations under way");
                  operator.close();
                  endpoints.close();
                  client.close();
                },
                "shutdown"));
    LOG.info(
        "pipeserve operator starting: namespaces {}, leader election {}, probes and metrics on"
            + " port {}",
        settings.namespaces().isEmpty() ? "all" : settings.namespaces(),
        settings.leaseNamespace() == null
            ? "off"
            : "on (Lease " + settings.leaseNamespace() + "/" + settings.leaseName() + ")",
        endpoints.port());
    operator.start();
  }

  /** The settings of the environment, with the command line's overrides. */
  static OperatorSettings settings(String[] args, Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(env);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--namespaces") && i + 1 < args.length) {
        merged.put("WATCH_NAMESPACES", args[++i]);
      } else if (args[i].startsWith("--namespaces=")) {
        merged.put("WATCH_NAMESPACES", args[i].substring("--namespaces=".length()));
      } else {
        throw new IllegalArgumentException(
            "unknown argument '"
                + args[i]
                + "'; usage: pipeserve-operator [--namespaces NS1,NS2] (settings: "
                + Arrays.toString(
                    new String[] {
                      "WATCH_NAMESPACES",
                      "POD_NAMESPACE",
                      "LEASE_NAME",
                      "HTTP_PORT",
                      "TRACE_TIMEOUT_MS",
                      "TRACE_RETRY_MS"
                    })
                + ")");
      }
    }
    return OperatorSettings.fromEnvironment(merged);
  }
}
