package io.pipeserve.runtime.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pipeserve.runtime.executor.OpObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The pipeline's Prometheus metrics, fed by the executor's {@link OpObserver} calls:
 *
 * <ul>
 *   <li>{@code pipeserve_requests_total}, {@code pipeserve_request_failures_total{err_no}}
 *   <li>{@code pipeserve_request_latency_seconds} (histogram) per pipeline
 *   <li>{@code pipeserve_op_latency_seconds} (prep + midp + postp) and {@code
 *       pipeserve_op_queue_seconds} (waiting in the channel), histograms per op
 *   <li>{@code pipeserve_op_batch_items} realized batch sizes per op
 *   <li>{@code pipeserve_channel_depth} per op and {@code pipeserve_requests_in_flight}
 * </ul>
 */
public final class PipelineMetrics implements OpObserver {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String pipeline;
  private final Counter requests;
  private final Timer latency;
  private final Map<Integer, Counter> failures = new ConcurrentHashMap<>();
  private final Map<String, OpMeters> ops = new ConcurrentHashMap<>();

  public PipelineMetrics(String pipeline) {
    this.pipeline = pipeline;
    this.requests =
        Counter.builder("pipeserve.requests")
            .description("Requests answered or refused")
            .tag("pipeline", pipeline)
            .register(registry);
    this.latency =
        Timer.builder("pipeserve.request.latency")
            .description("Time from admission to the answer")
            .tag("pipeline", pipeline)
            .publishPercentileHistogram()
            .register(registry);
  }

  /**
   * Adds the gauges read at scrape time.
   *
   * @param channels entries in each op's channel ({@code Executor::channelSizes})
   * @param inFlight requests admitted and not yet answered
   */
  public PipelineMetrics gauges(Supplier<Map<String, Integer>> channels, IntSupplier inFlight) {
    Gauge.builder("pipeserve.requests.in.flight", inFlight::getAsInt)
        .description("Requests admitted and not yet answered")
        .tag("pipeline", pipeline)
        .register(registry);
    for (String op : channels.get().keySet()) {
      Gauge.builder("pipeserve.channel.depth", () -> channels.get().getOrDefault(op, 0))
          .description("Entries waiting in the op's channel")
          .tags("pipeline", pipeline, "op", op)
          .register(registry);
    }
    return this;
  }

  @Override
  public void request(long dataId, long latencyNanos, int errNo) {
    requests.increment();
    if (errNo != 0) {
      failures
          .computeIfAbsent(
              errNo,
              code ->
                  Counter.builder("pipeserve.request.failures")
                      .description("Requests answered with an error, by Paddle err_no")
                      .tags("pipeline", pipeline, "err_no", Integer.toString(code))
                      .register(registry))
          .increment();
    }
    if (dataId != 0) {
      latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void sample(OpTimes times) {
    OpMeters m = ops.computeIfAbsent(times.op(), this::opMeters);
    m.latency.record(
        times.prepNanos() + times.midpNanos() + times.postpNanos(), TimeUnit.NANOSECONDS);
    m.queue.record(times.inNanos(), TimeUnit.NANOSECONDS);
    if (times.batchIndex() == 0) {
      m.batch.record(times.batchItems());
    }
  }

  private record OpMeters(Timer latency, Timer queue, DistributionSummary batch) {}

  private OpMeters opMeters(String op) {
    return new OpMeters(
        Timer.builder("pipeserve.op.latency")
            .description("An op's preprocess, process and postprocess time per sample")
            .tags("pipeline", pipeline, "op", op)
            .publishPercentileHistogram()
            .register(registry),
        Timer.builder("pipeserve.op.queue")
            .description("Time a sample waited in the op's channel")
            .tags("pipeline", pipeline, "op", op)
            .publishPercentileHistogram()
            .register(registry),
        DistributionSummary.builder("pipeserve.op.batch.items")
            .description("Items in each process call (realized batch size)")
            .tags("pipeline", pipeline, "op", op)
            .register(registry));
  }

  /** Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
