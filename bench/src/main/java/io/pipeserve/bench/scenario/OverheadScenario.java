package io.pipeserve.bench.scenario;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.bench.baseline.BaselineResponse;
import io.pipeserve.bench.baseline.BaselineServer;
import io.pipeserve.bench.client.GrpcTarget;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.bench.client.Probe;
import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Comparison;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.server.PipelineServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Serving overhead (issue 3, scenario 1): a pipeline of 3 no-op java ops served in this JVM against
 * the bare Vert.x baseline answering the very bytes the pipeline answers, by the same client at the
 * same concurrency, over HTTP and over gRPC, Paddle's protocol and the Open Inference Protocol's
 * (with a 1 KiB and a 1 MiB tensor, see {@link OipOverhead}); then the executor's per-op latency
 * with no network (JMH).
 */
public final class OverheadScenario {
  public static final String TITLE = "Serving overhead: 3 no-op ops vs bare Vert.x";
  static final double THROUGHPUT_GOAL = 0.6;
  static final double US_PER_OP_GOAL = 20;

  /**
   * @param jmh the executor benchmarks to run; null to skip them
   */
  public record Settings(
      Path spec, int clients, Duration warmup, Duration duration, ExecutorJmh jmh) {}

  private OverheadScenario() {}

  public static ExecutorJmh jmh(int forks, int iterations, Duration iterationTime) {
    return new ExecutorJmh(forks, iterations, iterationTime);
  }

  public static ScenarioBlock run(Settings s, String command) {
    PipelineSpec spec = Specs.load(s.spec());
    LoadSpec load = LoadSpec.closed(s.clients(), s.warmup(), s.duration());
    Request request = Request.newBuilder().addKey("text").addValue("hello").build();
    Buffer body = Buffer.buffer("{\"key\":[\"text\"],\"value\":[\"hello\"]}");
    List<Comparison> comparisons = new ArrayList<>();
    OipOverhead.Runs oip;
    PipelineServer server =
        PipelineServer.start(spec, s.spec().toAbsolutePath().getParent(), "127.0.0.1");
    try {
      HttpTarget http = new HttpTarget(url(server.httpPort(), spec), body);
      GrpcTarget grpc = new GrpcTarget(loopback(server.grpcPort()), request);
      Buffer httpAnswer = Probe.http(http);
      Response grpcAnswer = Probe.grpc(grpc);
      try (BaselineServer base =
          BaselineServer.start(0, 0, new BaselineResponse(httpAnswer, grpcAnswer))) {
        Result baseHttp = LoadGenerator.run(load, new HttpTarget(url(base.httpPort(), spec), body));
        Result pipeHttp = LoadGenerator.run(load, http);
        comparisons.add(comparison(baseHttp, "pipeline http", pipeHttp));
        Result baseGrpc =
            LoadGenerator.run(load, new GrpcTarget(loopback(base.grpcPort()), request));
        Result pipeGrpc = LoadGenerator.run(load, grpc);
        comparisons.add(comparison(baseGrpc, "pipeline grpc", pipeGrpc));
      }
      oip = OipOverhead.run(server, spec, load);
    } finally {
      server.stop(Duration.ofSeconds(5));
    }

    List<Figure> figures = new ArrayList<>();
    int ops = spec.ops().size();
    for (Comparison c : comparisons) {
      Run run = c.runs().get(0);
      double ratio = c.throughputRatio(run);
      figures.add(
          Figure.goal(
              "throughput vs baseline, " + run.result().protocol(),
              Format.fixed(ratio, 3),
              "≥ " + THROUGHPUT_GOAL,
              ratio >= THROUGHPUT_GOAL));
      figures.add(
          Figure.of(
              "p50 added per op over the network, " + run.result().protocol(),
              Format.fixed(c.addedP50Nanos(run) / 1e3 / ops, 1) + " µs"));
    }
    figures.addAll(OipOverhead.figures(oip, ops, THROUGHPUT_GOAL));
    comparisons.addAll(oip.comparisons());
    if (s.jmh() != null) {
      ExecutorJmh.Figures j = s.jmh().run();
      double perOp = j.addedP50PerOp();
      figures.add(
          Figure.of("executor p50, 1 op (JMH)", Format.fixed(j.p50ByOps().get(1), 1) + " µs"));
      figures.add(
          Figure.of("executor p50, 3 ops (JMH)", Format.fixed(j.p50ByOps().get(3), 1) + " µs"));
      figures.add(
          Figure.goal(
              "executor p50 added per op = (t3 − t1) / 2",
              Format.fixed(perOp, 1) + " µs",
              "≤ " + Format.fixed(US_PER_OP_GOAL, 0) + " µs",
              perOp <= US_PER_OP_GOAL));
      j.usPerRequestByBatch()
          .forEach(
              (size, us) ->
                  figures.add(
                      Figure.of(
                          "burst of 8 through 3 ops, batch size " + size + " (JMH, mean)",
                          Format.fixed(us, 1) + " µs per request")));
    }
    String note =
        ops
            + " no-op ops of "
            + Repo.display(s.spec())
            + ", "
            + s.clients()
            + " clients closed loop; pipeline and baseline in this JVM, each on its own event"
            + " loops, the generator on its own. Per-op latency over the network is the p50 gap"
            + " divided by the ops; the JMH figures measure the executor alone. Open Inference"
            + " Protocol: gRPC ModelInfer with one raw FP32 input, each run against a bare gRPC"
            + " handler answering the same bytes: 1 KiB at the concurrency above, then 1 KiB and"
            + " 1 MiB with one client; the size goal is (p50 the pipeline adds at 1 MiB − one 1"
            + " MiB memory copy) ≤ 2 × (p50 it adds at 1 KiB).";
    return new ScenarioBlock(
        TITLE, Instant.now(), Machine.current(), command, comparisons, List.of(), figures, note);
  }

  private static Comparison comparison(Result base, String name, Result pipeline) {
    return new Comparison(new Run("baseline", base), List.of(new Run(name, pipeline)));
  }

  static URI url(int port, PipelineSpec spec) {
    return URI.create("http://127.0.0.1:" + port + "/" + spec.server().name() + "/prediction");
  }

  static SocketAddress loopback(int port) {
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }
}
