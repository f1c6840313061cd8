package io.pipeserve.runtime.profile;

import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.executor.OpObserver;
import io.pipeserve.runtime.metrics.MetricsRoutes;
import io.pipeserve.runtime.metrics.PipelineMetrics;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that watches the pipeline run, in one place for the server: the tracer statistics
 * (pipeline.tracer), the profile table ({@code dag.profile}) and the Prometheus metrics, fed by one
 * {@link OpObserver}, and their routes ({@code /metrics}, {@code /v2/profile}).
 */
public final class Profiling implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Profiling.class);

  private final PipelineSpec spec;
  private final PipelineStats stats;
  private final ProfileTable table;
  private final PipelineMetrics metrics;
  private final OpObserver observer;
  private TracerLog tracerLog;

  private Profiling(PipelineSpec spec) {
    this.spec = spec;
    Map<String, Integer> concurrency = new LinkedHashMap<>();
    for (OpSpec op : spec.ops()) {
      concurrency.put(op.name(), op.concurrency());
    }
    this.stats = new PipelineStats(concurrency, System::nanoTime);
    this.table =
        spec.dag().profile() ? new ProfileTable(new ArrayList<>(concurrency.keySet())) : null;
    this.metrics = new PipelineMetrics(spec.server().name());
    List<OpObserver> all = new ArrayList<>(List.of(metrics));
    if (spec.dag().tracerIntervalSeconds() > 0) {
      all.add(stats);
    }
    if (table != null) {
      all.add(table);
    }
    this.observer = OpObserver.all(all);
  }

  public static Profiling create(PipelineSpec spec) {
    return new Profiling(spec);
  }

  /** What the executor reports to. */
  public OpObserver observer() {
    return observer;
  }

  /**
   * Starts the tracer log and binds the gauges, once the pipeline runs.
   *
   * @param inFlight requests admitted by the gateways and not yet answered
   * @param serverWorkers the event loops, Paddle's "server worker num"
   */
  public void start(Executor executor, IntSupplier inFlight, int serverWorkers) {
    metrics.gauges(executor::channelSizes, inFlight);
    tracerLog =
        TracerLog.start(
            stats,
            spec.dag().tracerIntervalSeconds(),
            executor::channelSizes,
            spec.dag().channelSize(),
            serverWorkers);
  }

  /** Mounts {@code GET /metrics} and {@code GET /v2/profile}. */
  public void mount(Router router) {
    MetricsRoutes.mount(router, metrics);
    new ProfileRoutes(spec.server().name(), table).mount(router);
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  /** The profile table; null when dag.profile is off. */
  public ProfileTable table() {
    return table;
  }

  /** Stops the tracer log and, with dag.profile, writes the profile table to the log. */
  @Override
  public void close() {
    if (tracerLog != null) {
      tracerLog.close();
    }
    if (table != null) {
      LOG.info("{}{}", System.lineSeparator(), table.text(spec.server().name()));
    }
  }
}
