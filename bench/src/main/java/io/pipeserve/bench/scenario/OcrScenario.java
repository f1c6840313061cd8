package io.pipeserve.bench.scenario;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.bench.client.Payloads;
import io.pipeserve.bench.client.Probe;
import io.pipeserve.bench.client.RoundRobinHttpTarget;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.server.PipelineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OCR efficiency (issue 3, scenario 2): the OCR example pipeline at saturation against a plain Java
 * loop running the same steps and models with the same threads. Both see the sample images in turn;
 * the loop runs first, then the pipeline, each after its own warm-up.
 */
public final class OcrScenario {
  public static final String TITLE = "OCR efficiency: pipeline at saturation vs plain loop";
  static final double RATIO_GOAL = 0.95;
  static final double CPU_GOAL = 0.95;

  public record Settings(Path spec, Path images, int clients, Duration warmup, Duration duration) {}

  private OcrScenario() {}

  public static ScenarioBlock run(Settings s, String command) throws Exception {
    Path baseDir = s.spec().toAbsolutePath().getParent();
    PipelineSpec spec = OcrScenario.loadOcr(s.spec());
    OcrImages images = OcrImages.in(s.images());
    int threads = OcrLoop.workers(spec);
    try (Sampler sampler = new Sampler()) {
      LoopRun.Outcome loop;
      String loopAnswer;
      try (OcrLoop ocr = new OcrLoop(spec, baseDir)) {
        loopAnswer = String.valueOf(ocr.run(Map.of("image", images.base64().get(0))).get("res"));
        loop =
            LoopRun.run(
                threads,
                s.warmup(),
                s.duration(),
                sampler,
                (thread, i) ->
                    ocr.run(
                        Map.of(
                            "image",
                            images.base64().get((int) ((thread + i) % images.base64().size())))));
      }

      Measured pipeline;
      boolean sameAnswer;
      PipelineServer server = PipelineServer.start(spec, baseDir, "127.0.0.1");
      try {
        var url = OverheadScenario.url(server.httpPort(), spec);
        sameAnswer =
            loopAnswer.equals(
                res(Probe.http(new HttpTarget(url, images.bodies().get(0))).toString()));
        pipeline =
            Measured.run(
                LoadSpec.closed(s.clients(), s.warmup(), s.duration()),
                new RoundRobinHttpTarget(url, images.bodies()),
                sampler);
      } finally {
        server.stop(Duration.ofSeconds(10));
      }

      double loopRate = loop.perSecond();
      double pipeRate = pipeline.result().throughput();
      double ratio = pipeRate / loopRate;
      double cpu = pipeline.usage().cpuBusy();
      List<Figure> figures = new ArrayList<>();
      figures.add(
          Figure.of("loop, " + threads + " threads", Format.fixed(loopRate, 2) + " images/s"));
      figures.add(Figure.of("loop CPU busy (all cores)", Format.percent(loop.usage().cpuBusy())));
      figures.add(
          Figure.of(
              "pipeline, " + s.clients() + " clients",
              Format.fixed(pipeRate, 2)
                  + " images/s, p50 "
                  + Format.ms(pipeline.result().latency().p50())));
      figures.add(
          Figure.goal(
              "pipeline vs loop", Format.fixed(ratio, 3), "≥ " + RATIO_GOAL, ratio >= RATIO_GOAL));
      figures.add(
          Figure.goal(
              "pipeline CPU busy (all cores)",
              Format.percent(cpu),
              "≥ " + Format.percent(CPU_GOAL),
              cpu >= CPU_GOAL));
      figures.add(Figure.of("pipeline errors", Long.toString(pipeline.result().errorCount())));
      figures.add(
          Figure.of(
              "same answer as the loop (" + images.names().get(0) + ")",
              sameAnswer ? "yes" : "no"));
      String note =
          images.names().size()
              + " images in turn ("
              + String.join(", ", images.names())
              + "); the loop runs "
              + threads
              + " threads (the pipeline's op workers in total) with the spec's intra-op threads"
              + " per session; CPU busy is this process's CPU time over the window, the load"
              + " generator included (it shares the JVM).";
      return new ScenarioBlock(
          TITLE,
          Instant.now(),
          Machine.current(),
          command,
          List.of(),
          List.of(new Run("pipeline", pipeline.result())),
          figures,
          note);
    }
  }

  /** The OCR spec, failing with what to do when the models are not linked yet. */
  static PipelineSpec loadOcr(Path specFile) {
    Path models = specFile.toAbsolutePath().getParent().resolve("models");
    if (specFile.toAbsolutePath().startsWith(Repo.root().resolve("examples"))
        && !Files.isDirectory(models)) {
      throw new IllegalStateException(
          models + " is missing: run scripts/fetch-models.sh (the Maven build runs it) first");
    }
    return Specs.load(specFile);
  }

  /** The {@code res} value of a Paddle JSON answer; empty when absent. */
  static String res(String json) {
    Response r = Payloads.parse(json, Response.newBuilder(), "the pipeline's answer").build();
    int i = r.getKeyList().indexOf("res");
    return i < 0 ? "" : r.getValue(i);
  }
}
