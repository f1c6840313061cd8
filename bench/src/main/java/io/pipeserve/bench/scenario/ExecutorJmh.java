package io.pipeserve.bench.scenario;

import io.pipeserve.bench.jmh.BatchAssemblyBenchmark;
import io.pipeserve.bench.jmh.ExecutorOverheadBenchmark;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the executor's JMH benchmarks from a scenario and reads their figures back.
 *
 * @param forks JMH forks; 0 runs in this JVM (for tests only: JMH's own numbers need a fork)
 */
public record ExecutorJmh(int forks, int iterations, Duration iterationTime) {

  /**
   * @param p50ByOps p50 µs of one request by number of ops
   * @param usPerRequestByBatch mean µs per request of a burst of 8 through 3 ops, by batch size
   */
  record Figures(Map<Integer, Double> p50ByOps, Map<Integer, Double> usPerRequestByBatch) {
    /** (t3 − t1) / 2: what one more op adds to a request's median latency. */
    double addedP50PerOp() {
      return (p50ByOps.get(3) - p50ByOps.get(1)) / 2;
    }
  }

  Figures run() {
    Map<Integer, Double> p50 = new TreeMap<>();
    for (RunResult r : run(ExecutorOverheadBenchmark.class)) {
      p50.put(
          Integer.parseInt(r.getParams().getParam("ops")),
          r.getPrimaryResult().getStatistics().getPercentile(50));
    }
    Map<Integer, Double> batch = new TreeMap<>();
    for (RunResult r : run(BatchAssemblyBenchmark.class)) {
      batch.put(Integer.parseInt(r.getParams().getParam("batch")), r.getPrimaryResult().getScore());
    }
    return new Figures(p50, batch);
  }

  private Collection<RunResult> run(Class<?> benchmark) {
    TimeValue time = TimeValue.milliseconds(iterationTime.toMillis());
    try {
      return new Runner(
              new OptionsBuilder()
                  .include(benchmark.getName())
                  .forks(forks)
                  .warmupIterations(iterations)
                  .warmupTime(time)
                  .measurementIterations(iterations)
                  .measurementTime(time)
                  .build())
          .run();
    } catch (RunnerException e) {
      throw new IllegalStateException("JMH " + benchmark.getSimpleName() + " failed", e);
    }
  }
}
