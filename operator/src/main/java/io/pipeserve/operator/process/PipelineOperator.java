package io.pipeserve.operator.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.pipeserve.operator.reconciler.PipelineReconciler;
import io.pipeserve.operator.status.StatusRecorder;
import io.pipeserve.operator.trace.TraceClient;
import io.pipeserve.operator.trace.TraceSync;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The operator: the Pipeline reconciler registered with java-operator-sdk, for the namespaces
 * configured.
 *
 * <p>Objects are created and updated with plain writes (optimistic locking on resourceVersion) and
 * matched by the hash each desired object carries, not by server-side apply: the same code then
 * runs against any API server, fabric8's mock server included.
 */
public final class PipelineOperator implements AutoCloseable {
  private final Operator operator;
  private final TraceSync traceSync;

  private PipelineOperator(Operator operator, TraceSync traceSync) {
    this.operator = operator;
    this.traceSync = traceSync;
  }

  /**
   * @param more further configuration (leader election, metrics)
   */
  public static PipelineOperator create(
      KubernetesClient client,
      OperatorSettings settings,
      Consumer<ConfigurationServiceOverrider> more) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(20));
              more.accept(o);
            });
    TraceSync traceSync =
        new TraceSync(
            new TraceClient(settings.traceTimeout()),
            List.of(Duration.ofMillis(200), Duration.ofMillis(600)));
    PipelineReconciler reconciler =
        new PipelineReconciler(
            new StatusRecorder(Clock.systemUTC()), traceSync, settings.traceRetry());
    operator.register(
        reconciler,
        c -> {
          if (!settings.namespaces().isEmpty()) {
            c.settingNamespaces(settings.namespaces());
          }
        });
    return new PipelineOperator(operator, traceSync);
  }

  public void start() {
    operator.start();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
    traceSync.close();
  }
}
