package io.pipeserve.bench.scenario;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.bench.baseline.OipBaselineServer;
import io.pipeserve.bench.client.OipGrpcTarget;
import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.results.Comparison;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.runtime.server.PipelineServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Open Inference Protocol part of the serving-overhead scenario: gRPC {@code ModelInfer} with
 * raw FP32 tensors through the same no-op pipeline, each run against a bare Vert.x handler
 * answering the same bytes (which moves them over the same loopback, so transfer and the client's
 * own costs cancel out of the difference).
 *
 * <p>Throughput is measured with a 1 KiB input at the scenario's concurrency. The size figure asks
 * whether a large tensor crosses the gateway without needless work, one client at a time so that
 * latencies are service times rather than queueing: what the pipeline adds to a 1 MiB call, less
 * one in-memory copy of the tensor (what a model's input copy costs anyway), must be at most twice
 * what it adds to a 1 KiB call.
 */
final class OipOverhead {
  static final int SMALL_BYTES = 1024;
  static final int LARGE_BYTES = 1 << 20;
  static final double SIZE_GOAL = 2.0;

  /** The input every request feeds: no-op ops pass any field through. */
  private static final String INPUT = "x";

  /**
   * The runs.
   *
   * @param throughput 1 KiB at the scenario's concurrency
   * @param small 1 KiB, one client
   * @param large 1 MiB, one client
   */
  record Runs(Comparison throughput, Comparison small, Comparison large, long copyNanos) {
    List<Comparison> comparisons() {
      return List.of(throughput, small, large);
    }
  }

  private OipOverhead() {}

  static Runs run(PipelineServer server, PipelineSpec spec, LoadSpec load) {
    LoadSpec oneClient = LoadSpec.closed(1, load.warmup(), load.duration());
    return new Runs(
        compare(server, spec, load, SMALL_BYTES, "1 KiB"),
        compare(server, spec, oneClient, SMALL_BYTES, "1 KiB"),
        compare(server, spec, oneClient, LARGE_BYTES, "1 MiB"),
        copyNanos(LARGE_BYTES));
  }

  private static Comparison compare(
      PipelineServer server, PipelineSpec spec, LoadSpec load, int bytes, String size) {
    OipGrpcTarget pipeline =
        new OipGrpcTarget(
            SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1"),
            OipGrpcTarget.fp32(spec.server().name(), INPUT, bytes));
    Buffer answer = OipGrpcTarget.probe(pipeline);
    try (OipBaselineServer base = OipBaselineServer.start(answer, spec.server().maxBodyBytes())) {
      OipGrpcTarget baseline =
          new OipGrpcTarget(
              SocketAddress.inetSocketAddress(base.port(), "127.0.0.1"), pipeline.request());
      Result baseResult = LoadGenerator.run(load, baseline);
      Result pipeResult = LoadGenerator.run(load, pipeline);
      return new Comparison(
          new Run("baseline, " + size + " FP32", baseResult),
          List.of(new Run("pipeline oip grpc, " + size + " FP32", pipeResult)));
    }
  }

  /** The figures of the runs; {@code ops}: the pipeline's op count, for the per-op figure. */
  static List<Figure> figures(Runs runs, int ops, double throughputGoal) {
    List<Figure> figures = new ArrayList<>();
    Run loaded = runs.throughput().runs().get(0);
    double ratio = runs.throughput().throughputRatio(loaded);
    figures.add(
        Figure.goal(
            "throughput vs baseline, oip grpc (1 KiB FP32)",
            Format.fixed(ratio, 3),
            "≥ " + throughputGoal,
            ratio >= throughputGoal));
    figures.add(
        Figure.of(
            "p50 added per op over the network, oip grpc (1 KiB FP32)",
            Format.fixed(runs.throughput().addedP50Nanos(loaded) / 1e3 / ops, 1) + " µs"));
    long addedSmall = runs.small().addedP50Nanos(runs.small().runs().get(0));
    long addedLarge = runs.large().addedP50Nanos(runs.large().runs().get(0));
    figures.add(
        Figure.of(
            "p50 added over the baseline, one client, oip grpc 1 KiB / 1 MiB FP32",
            Format.fixed(addedSmall / 1e3, 1)
                + " µs / "
                + Format.fixed(addedLarge / 1e3, 1)
                + " µs"));
    figures.add(
        Figure.of(
            "one 1 MiB copy in memory (allocate and copy, median)",
            Format.fixed(runs.copyNanos() / 1e3, 1) + " µs"));
    figures.add(
        Figure.of(
            "added 1 MiB / added 1 KiB, with no copy allowance",
            addedSmall <= 0 ? "n/a" : Format.fixed(addedLarge / (double) addedSmall, 2)));
    double size = sizeRatio(addedSmall, addedLarge, runs.copyNanos());
    figures.add(
        Figure.goal(
            "1 MiB vs 1 KiB FP32: (added 1 MiB − one copy) / added 1 KiB",
            Double.isNaN(size) ? "n/a" : Format.fixed(size, 2),
            "≤ " + Format.fixed(SIZE_GOAL, 0),
            size <= SIZE_GOAL));
    return figures;
  }

  /**
   * (added 1 MiB − copy) / added 1 KiB, 0 when the copy allowance covers all the 1 MiB call added;
   * NaN when the small call added nothing measurable (a run too short or too noisy).
   */
  static double sizeRatio(long addedSmall, long addedLarge, long copy) {
    return addedSmall <= 0 ? Double.NaN : Math.max(0, addedLarge - copy) / (double) addedSmall;
  }

  /** The median time to allocate an array of {@code bytes} and copy a tensor's bytes into it. */
  static long copyNanos(int bytes) {
    byte[] source = new byte[bytes];
    Arrays.fill(source, (byte) 1);
    long[] samples = new long[201];
    long sink = 0;
    for (int i = -50; i < samples.length; i++) {
      long start = System.nanoTime();
      byte[] copy = new byte[bytes];
      System.arraycopy(source, 0, copy, 0, bytes);
      long took = System.nanoTime() - start;
      sink += copy[i & (bytes - 1)];
      if (i >= 0) {
        samples[i] = took;
      }
    }
    if (sink == Long.MIN_VALUE) {
      throw new AssertionError(); // keeps the copies from being optimized away
    }
    Arrays.sort(samples);
    return samples[samples.length / 2];
  }
}
