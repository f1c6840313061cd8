package io.pipeserve.bench.scenario;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.bench.client.GrpcTarget;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Tensor;
import io.pipeserve.runtime.op.Op;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.tensor.DType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batching efficiency (issue 3, scenario 3): the cls model behind one op batching up to 8 requests,
 * under many gRPC clients, against raw ONNX Runtime batch-of-8 calls on one thread with the same
 * intra-op threads; then one client alone, whose latency should be the batch timeout plus one model
 * call at most.
 */
public final class BatchingScenario {
  public static final String TITLE = "Batching efficiency: cls op, batch 8, vs raw batch-8 calls";
  static final String OP = "cls";
  static final long[] CROP = {1, 3, 48, 192};
  static final double RATIO_GOAL = 0.9;
  static final double BATCH_GOAL = 7;

  public record Settings(
      Path spec,
      long batchTimeoutMs,
      int clients,
      Duration warmup,
      Duration duration,
      Duration latencyDuration) {}

  private BatchingScenario() {}

  public static ScenarioBlock run(Settings s, String command) throws Exception {
    PipelineSpec spec = Specs.withBatchTimeout(Specs.load(s.spec()), OP, s.batchTimeoutMs());
    OpSpec op = Specs.op(spec, OP);
    int size = op.batch().size();
    Path baseDir = s.spec().toAbsolutePath().getParent();
    float[] crop = crop();

    try (Sampler sampler = new Sampler()) {
      // Raw: back-to-back batch calls of the op's size on one thread, as one op worker would make.
      LoopRun.Outcome raw;
      try (OrtSession session =
              OnnxSessions.open(baseDir.resolve(op.model()), op.device().threads());
          OnnxTensor batch =
              OnnxSessions.input(
                  io.pipeserve.runtime.tensor.Tensor.of(
                      repeat(crop, size), size, CROP[1], CROP[2], CROP[3]))) {
        String input = session.getInputNames().iterator().next();
        raw =
            LoopRun.run(
                1,
                s.warmup(),
                s.duration(),
                sampler,
                (t, i) -> {
                  try (OrtSession.Result r = session.run(Map.of(input, batch))) {
                    r.get(0);
                  }
                });
      }
      double callNanos = 1e9 / raw.perSecond();
      double rawSamples = raw.perSecond() * size;

      Request request = request(op.feed().isEmpty() ? "x" : op.feed().get(0), crop);
      Measured loaded;
      Measured alone;
      long calls;
      long items;
      PipelineServer server = PipelineServer.start(spec, baseDir, "127.0.0.1");
      try {
        GrpcTarget target = new GrpcTarget(OverheadScenario.loopback(server.grpcPort()), request);
        Op cls = server.executor().op(OP);
        long calls0 = cls.batches();
        long items0 = cls.batchedItems();
        loaded =
            Measured.run(LoadSpec.closed(s.clients(), s.warmup(), s.duration()), target, sampler);
        calls = cls.batches() - calls0;
        items = cls.batchedItems() - items0;
        Duration shortWarmup =
            s.warmup().compareTo(Duration.ofSeconds(1)) < 0 ? s.warmup() : Duration.ofSeconds(1);
        alone = Measured.run(LoadSpec.closed(1, shortWarmup, s.latencyDuration()), target, sampler);
      } finally {
        server.stop(Duration.ofSeconds(10));
      }

      double samples = loaded.result().throughput();
      double ratio = samples / rawSamples;
      double realized = calls == 0 ? 0 : items / (double) calls;
      double latencyGoalNanos = s.batchTimeoutMs() * 1e6 + callNanos;
      long p50 = alone.result().latency().p50();
      List<Figure> figures = new ArrayList<>();
      figures.add(
          Figure.of(
              "raw batch-" + size + " calls, 1 thread",
              Format.fixed(rawSamples, 1) + " samples/s, " + Format.ms(callNanos) + " per call"));
      figures.add(
          Figure.of(
              "pipeline, " + s.clients() + " gRPC clients",
              Format.fixed(samples, 1)
                  + " samples/s, p50 "
                  + Format.ms(loaded.result().latency().p50())));
      figures.add(
          Figure.goal(
              "pipeline vs raw samples/s",
              Format.fixed(ratio, 3),
              "≥ " + RATIO_GOAL,
              ratio >= RATIO_GOAL));
      figures.add(
          Figure.goal(
              "mean realized batch (items / model calls)",
              Format.fixed(realized, 2) + " (" + items + " / " + calls + ")",
              "≥ " + Format.fixed(BATCH_GOAL, 0),
              realized >= BATCH_GOAL));
      figures.add(
          Figure.goal(
              "p50 latency, 1 client",
              Format.ms(p50),
              "≤ timeout + one call = " + Format.ms(latencyGoalNanos),
              p50 <= latencyGoalNanos));
      figures.add(Figure.of("CPU busy, raw", Format.percent(raw.usage().cpuBusy())));
      figures.add(Figure.of("CPU busy, pipeline", Format.percent(loaded.usage().cpuBusy())));
      String note =
          "batch.size "
              + size
              + ", batch.timeoutMs "
              + s.batchTimeoutMs()
              + ", concurrency "
              + op.concurrency()
              + ", "
              + op.device().threads()
              + " intra-op thread(s); each request one "
              + java.util.Arrays.toString(CROP)
              + " FP32 crop over gRPC to PipelineServer in this JVM; realized batch is read from"
              + " its executor's op counters over the loaded run (warm-up included). The raw run"
              + " has the cores to itself; the pipeline shares them with its gateways and the"
              + " load generator.";
      return new ScenarioBlock(
          TITLE,
          Instant.now(),
          Machine.current(),
          command,
          List.of(),
          List.of(
              new Run("pipeline, " + s.clients() + " clients", loaded.result()),
              new Run("pipeline, 1 client", alone.result())),
          figures,
          note);
    }
  }

  private static float[] crop() {
    SplittableRandom random = new SplittableRandom(7);
    float[] data = new float[(int) (CROP[1] * CROP[2] * CROP[3])];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return data;
  }

  private static float[] repeat(float[] row, int n) {
    float[] out = new float[row.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(row, 0, out, i * row.length, row.length);
    }
    return out;
  }

  private static Request request(String field, float[] crop) {
    Tensor.Builder t = Tensor.newBuilder().setName(field).setElemType(DType.FP32.paddleCode());
    for (long d : CROP) {
      t.addShape((int) d);
    }
    for (float v : crop) {
      t.addFloatData(v);
    }
    return Request.newBuilder().addTensors(t).build();
  }
}
