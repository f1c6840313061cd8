package io.pipeserve.bench.jmh;

import io.pipeserve.runtime.executor.Executor;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The executor's cost per op, no network: one request submitted and awaited through a chain of 1 or
 * 3 no-op ops. The ops do nothing, so the time is the executor's: admission, a channel hop and a
 * worker wake-up per op, completion. Added latency per op = (p50 of 3 ops − p50 of 1 op) / 2.
 * Sampled, so the percentiles are per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExecutorOverheadBenchmark {
  static final Map<String, Object> FIELDS = Map.of("text", "hello");

  @Param({"1", "3"})
  public int ops;

  private Executor executor;

  @Setup(Level.Trial)
  public void start() {
    executor = Executor.start(NoOpPipelines.chain(ops, 1, 0), Path.of("."));
  }

  @TearDown(Level.Trial)
  public void stop() {
    executor.close();
  }

  @Benchmark
  public Object request() {
    return executor.submit(0, FIELDS, 0).join();
  }
}
