package io.pipeserve.bench.scenario;

import io.pipeserve.api.DagSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.bench.client.RoundRobinHttpTarget;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Comparison;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.runtime.server.PipelineServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Overload (issue 3, scenario 4): the OCR pipeline's saturation rate measured in a closed loop,
 * then an open loop at a multiple of it. The pipeline should keep its saturation throughput, refuse
 * the excess at once (429) rather than queue it, keep its heap bounded, and answer every request
 * one way or the other.
 */
public final class OverloadScenario {
  public static final String TITLE = "Overload: OCR pipeline, open loop above saturation";
  static final double THROUGHPUT_GOAL = 0.9;
  static final double REFUSAL_P99_GOAL_MS = 5;
  static final double HEAP_GOAL_FACTOR = 2;
  static final long HEAP_SLACK_BYTES = 64L << 20;

  /**
   * @param factor the open loop's rate over the saturation rate
   * @param maxOutstanding the open loop's cap on requests in flight (see LoadSpec)
   */
  public record Settings(
      Path spec,
      int channelSize,
      Path images,
      int clients,
      double factor,
      Duration warmup,
      Duration saturationDuration,
      Duration duration,
      int maxOutstanding) {}

  private OverloadScenario() {}

  /**
   * The spec with a small channel: at the example's 64, a 2x overload would queue up to 64 images
   * (seconds of work on a small machine) before refusing anything, and show as latency.
   */
  static PipelineSpec withChannelSize(PipelineSpec spec, int channelSize) {
    DagSpec d = spec.dag();
    return new PipelineSpec(
        spec.server(),
        new DagSpec(
            channelSize, d.requestTimeoutMs(), d.retry(), d.tracerIntervalSeconds(), d.profile()),
        spec.ops(),
        spec.trace());
  }

  public static ScenarioBlock run(Settings s, String command) {
    PipelineSpec spec = withChannelSize(OcrScenario.loadOcr(s.spec()), s.channelSize());
    OcrImages images = OcrImages.in(s.images());
    Measured saturation;
    Measured overload;
    double rate;
    try (Sampler sampler = new Sampler()) {
      PipelineServer server =
          PipelineServer.start(spec, s.spec().toAbsolutePath().getParent(), "127.0.0.1");
      try {
        URI url = OverheadScenario.url(server.httpPort(), spec);
        RoundRobinHttpTarget target = new RoundRobinHttpTarget(url, images.bodies());
        saturation =
            Measured.run(
                LoadSpec.closed(s.clients(), s.warmup(), s.saturationDuration()), target, sampler);
        rate = saturation.result().throughput() * s.factor();
        if (!(rate > 0)) {
          throw new IllegalStateException(
              "the saturation run answered nothing: " + saturation.result().errors());
        }
        overload =
            Measured.run(
                LoadSpec.open(rate, s.maxOutstanding(), s.warmup(), s.duration()), target, sampler);
      } finally {
        server.stop(Duration.ofSeconds(10));
      }
    }

    Result o = overload.result();
    long refused = refusals(o.errors());
    long other = o.errorCount() - refused;
    double ratio = o.throughput() / saturation.result().throughput();
    double refusalP99 = o.errorLatency().p99() / 1e6;
    long liveSat = saturation.usage().maxLiveBytes();
    long liveOver = overload.usage().maxLiveBytes();
    long heapBound = (long) (HEAP_GOAL_FACTOR * liveSat) + HEAP_SLACK_BYTES;
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
            "saturation, " + s.clients() + " clients",
            Format.fixed(saturation.result().throughput(), 2) + " images/s"));
    figures.add(
        Figure.of(
            "open loop offered",
            Format.fixed(o.offeredRate(), 2) + " req/s (" + Format.fixed(s.factor(), 1) + "×)"));
    figures.add(
        Figure.goal(
            "throughput under overload vs saturation",
            Format.fixed(ratio, 3),
            "≥ " + THROUGHPUT_GOAL,
            ratio >= THROUGHPUT_GOAL));
    figures.add(Figure.of("refused (429)", Long.toString(refused)));
    figures.add(
        Figure.goal(
            "refusal latency p99",
            refused == 0 ? "n/a (none refused)" : Format.fixed(refusalP99, 3) + " ms",
            "≤ " + Format.fixed(REFUSAL_P99_GOAL_MS, 0) + " ms",
            refused > 0 && refusalP99 <= REFUSAL_P99_GOAL_MS));
    figures.add(
        Figure.goal(
            "lost, hung or failed otherwise",
            other + (other == 0 ? "" : " " + o.errors()),
            "0",
            other == 0));
    figures.add(
        Figure.of(
            "max used heap, saturation / overload",
            Format.mib(saturation.usage().maxHeapBytes())
                + " / "
                + Format.mib(overload.usage().maxHeapBytes())));
    figures.add(Figure.of("max heap after GC, saturation", Format.mib(liveSat)));
    figures.add(
        Figure.goal(
            "max heap after GC, overload",
            Format.mib(liveOver),
            "≤ "
                + Format.fixed(HEAP_GOAL_FACTOR, 0)
                + " × saturation's + "
                + Format.mib(HEAP_SLACK_BYTES)
                + " = "
                + Format.mib(heapBound),
            liveOver <= heapBound));
    figures.add(Figure.of("CPU busy, overload", Format.percent(overload.usage().cpuBusy())));
    String note =
        "dag.channelSize "
            + spec.dag().channelSize()
            + " (--channel-size): at most that many images in flight, the rest refused."
            + " Saturation is the closed loop at "
            + s.clients()
            + " clients; every request of the open loop must end ok or refused (429), none"
            + " lost (no answer within the drain), unsent or failed otherwise. Heap is sampled"
            + " every "
            + Sampler.PERIOD_MS
            + " ms; bounded means the heap left after collections (what the pipeline holds, not"
            + " the garbage the collector lets pile up) stays within twice the saturation run's,"
            + " plus slack.";
    return new ScenarioBlock(
        TITLE,
        Instant.now(),
        Machine.current(),
        command,
        List.of(
            new Comparison(
                new Run("saturation", saturation.result()), List.of(new Run("overload", o)))),
        List.of(),
        figures,
        note);
  }

  /** Requests refused because the pipeline was full: HTTP 429 or gRPC RESOURCE_EXHAUSTED. */
  static long refusals(Map<String, Long> errors) {
    return errors.entrySet().stream()
        .filter(e -> e.getKey().startsWith("http 429") || e.getKey().contains("RESOURCE_EXHAUSTED"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
