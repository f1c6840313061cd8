package io.pipeserve.runtime.profile;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link TracerFormat} block to the {@value #LOGGER} logger every interval; logback routes
 * that logger to {@code PipelineServingLogs/pipeline.tracer} only (see logback.xml).
 */
public final class TracerLog implements AutoCloseable {
  /** The logger logback sends to the pipeline.tracer file. */
  public static final String LOGGER = "pipeline.tracer";

  private static final Logger TRACER = LoggerFactory.getLogger(LOGGER);
  private static final Logger LOG = LoggerFactory.getLogger(TracerLog.class);

  private final ScheduledExecutorService timer;

  private TracerLog(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Starts writing every {@code intervalSeconds}; 0 or less writes nothing.
   *
   * @param channels the channel sizes at the time of writing ({@code Executor::channelSizes})
   */
  public static TracerLog start(
      PipelineStats stats,
      int intervalSeconds,
      Supplier<Map<String, Integer>> channels,
      int channelSize,
      int serverWorkers) {
    if (intervalSeconds <= 0) {
      return new TracerLog(null);
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pipeline-tracer");
              t.setDaemon(true);
              return t;
            });
    stats.roll(); // the first interval starts now, not when the pipeline was built
    timer.scheduleAtFixedRate(
        () -> {
          try {
            TRACER.info(
                "{}",
                TracerFormat.format(stats.roll(), channels.get(), channelSize, serverWorkers));
          } catch (RuntimeException e) {
            // A failing block must not cancel the schedule.
            LOG.warn("writing the pipeline.tracer block failed", e);
          }
        },
        intervalSeconds,
        intervalSeconds,
        TimeUnit.SECONDS);
    return new TracerLog(timer);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
