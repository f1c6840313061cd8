package io.pipeserve.bench.scenario;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.TraceSpec;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.bench.client.RoundRobinHttpTarget;
import io.pipeserve.bench.client.Target;
import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Comparison;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.runtime.server.PipelineServer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The cost of tracing (issue 4): each pipeline with tracing OFF, then traced at TIMESTAMPS with
 * rate 1 into a Triton trace file, same client, same load, one after the other in this JVM. The
 * no-op 3-op pipeline shows the cost per request at its highest; the OCR pipeline what a real
 * pipeline pays.
 */
public final class TracingScenario {
  public static final String TITLE = "Tracing cost: TIMESTAMPS at rate 1 vs OFF";
  static final double NOOP_GOAL = 0.85;
  static final double OCR_GOAL = 0.95;

  public record Settings(
      Path noopSpec,
      Path ocrSpec,
      Path images,
      int noopClients,
      int ocrClients,
      Duration warmup,
      Duration duration,
      Duration ocrDuration) {}

  private TracingScenario() {}

  public static ScenarioBlock run(Settings s, String command) {
    Path dir;
    try {
      dir = Files.createTempDirectory("pipeserve-tracing");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Comparison> comparisons = new ArrayList<>();
    List<Figure> figures = new ArrayList<>();

    PipelineSpec noop = Specs.load(s.noopSpec());
    Buffer body = Buffer.buffer("{\"key\":[\"text\"],\"value\":[\"hello\"]}");
    Comparison n =
        compare(
            "no-op 3 ops",
            noop,
            s.noopSpec(),
            dir.resolve("noop-trace.json"),
            LoadSpec.closed(s.noopClients(), s.warmup(), s.duration()),
            server -> new HttpTarget(OverheadScenario.url(server.httpPort(), noop), body));
    comparisons.add(n);
    figures.add(goal("no-op 3 ops, traced vs OFF", n, NOOP_GOAL));

    PipelineSpec ocr = OcrScenario.loadOcr(s.ocrSpec());
    OcrImages images = OcrImages.in(s.images());
    Comparison o =
        compare(
            "OCR",
            ocr,
            s.ocrSpec(),
            dir.resolve("ocr-trace.json"),
            LoadSpec.closed(s.ocrClients(), s.warmup(), s.ocrDuration()),
            server ->
                new RoundRobinHttpTarget(
                    OverheadScenario.url(server.httpPort(), ocr), images.bodies()));
    comparisons.add(o);
    figures.add(goal("OCR, traced vs OFF", o, OCR_GOAL));

    deleteTree(dir); // rate 1 at the no-op pipeline's rate writes about a gigabyte
    String note =
        "HTTP, closed loop: "
            + s.noopClients()
            + " clients on the no-op pipeline, "
            + s.ocrClients()
            + " on the OCR pipeline (its sample images in turn); every request of the traced run"
            + " is traced (level TIMESTAMPS, rate 1, log_frequency 0) into a trace file, deleted"
            + " afterwards. Each pipeline first runs once unmeasured, so JIT warm-up favours"
            + " neither side.";
    return new ScenarioBlock(
        TITLE, Instant.now(), Machine.current(), command, comparisons, List.of(), figures, note);
  }

  private static Comparison compare(
      String name,
      PipelineSpec spec,
      Path specFile,
      Path traceFile,
      LoadSpec load,
      Function<PipelineServer, Target> target) {
    Path baseDir = specFile.toAbsolutePath().getParent();
    // An unmeasured run first: otherwise the JIT's warm-up lands on whichever side runs first.
    measure(spec, baseDir, load, target);
    Result off = measure(spec, baseDir, load, target);
    Result traced = measure(traced(spec, traceFile), baseDir, load, target);
    return new Comparison(
        new Run(name + ", tracing OFF", off), List.of(new Run(name + ", traced", traced)));
  }

  private static Result measure(
      PipelineSpec spec, Path baseDir, LoadSpec load, Function<PipelineServer, Target> target) {
    PipelineServer server = PipelineServer.start(spec, baseDir, "127.0.0.1");
    try {
      return LoadGenerator.run(load, target.apply(server));
    } finally {
      server.stop(Duration.ofSeconds(10));
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PipelineSpec traced(PipelineSpec spec, Path traceFile) {
    return new PipelineSpec(
        spec.server(),
        spec.dag(),
        spec.ops(),
        new TraceSpec(List.of("TIMESTAMPS"), 1, -1, "triton", traceFile.toString(), 0, null));
  }

  private static Figure goal(String name, Comparison c, double goal) {
    double ratio = c.throughputRatio(c.runs().get(0));
    return Figure.goal(name, Format.fixed(ratio, 3), "≥ " + goal, ratio >= goal);
  }
}
