package io.pipeserve.bench.jmh;

import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.op.Sample;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batching assembly in the executor, no network: bursts of 8 requests submitted at once through 3
 * no-op ops, with batch size 1 (8 requests go one by one) or 8 (one batch each op). The time per
 * request shows what gathering and splitting batches costs, or saves, against one-by-one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchAssemblyBenchmark {
  static final int BURST = 8;
  static final Map<String, Object> FIELDS = Map.of("text", "hello");

  @Param({"1", "8"})
  public int batch;

  private Executor executor;
  private final CompletableFuture<?>[] burst = new CompletableFuture<?>[BURST];

  @Setup(Level.Trial)
  public void start() {
    // A long batch timeout: a burst fills its batch at once, so the timeout never sets the pace.
    executor = Executor.start(NoOpPipelines.chain(3, batch, 50), Path.of("."));
  }

  @TearDown(Level.Trial)
  public void stop() {
    executor.close();
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public Object burstOf8() {
    for (int i = 0; i < BURST; i++) {
      burst[i] = executor.submit(0, FIELDS, 0);
    }
    Sample last = null;
    for (CompletableFuture<?> f : burst) {
      last = (Sample) f.join();
    }
    return last;
  }
}
