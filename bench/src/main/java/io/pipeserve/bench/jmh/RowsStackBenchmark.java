package io.pipeserve.bench.jmh;

import io.pipeserve.runtime.tensor.Rows;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batching assembly: stacking 8 text-recognition crops [1,3,48,W] FP32 into one [8,3,48,320] batch,
 * as the batcher does before each model call. Equal widths take the one-arraycopy-per-row path;
 * unequal widths (PaddleOCR's case) zero-pad each row run by run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RowsStackBenchmark {
  static final int ROWS = 8;
  static final int CHANNELS = 3;
  static final int HEIGHT = 48;
  static final int MAX_WIDTH = 320;

  @Param({"equal", "unequal"})
  public String widths;

  private List<Rows.Row> rows;

  @Setup
  public void setUp() {
    // A fixed seed: every fork stacks the same shapes. The widest crop sets the batch width.
    SplittableRandom random = new SplittableRandom(42);
    rows = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      int width =
          widths.equals("equal") || i == 0 ? MAX_WIDTH : 80 + random.nextInt(MAX_WIDTH - 80);
      float[] data = new float[CHANNELS * HEIGHT * width];
      for (int j = 0; j < data.length; j++) {
        data[j] = (float) random.nextDouble();
      }
      rows.add(new Rows.Row(Tensor.of(data, 1, CHANNELS, HEIGHT, width), 0));
    }
  }

  @Benchmark
  public Tensor stack() {
    return Rows.stack(rows);
  }
}
