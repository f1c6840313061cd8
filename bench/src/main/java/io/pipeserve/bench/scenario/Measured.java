package io.pipeserve.bench.scenario;

import io.pipeserve.bench.client.Target;
import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;

/** A load run with the process's CPU and heap during its measured window. */
record Measured(Result result, Sampler.Usage usage) {
  static Measured run(LoadSpec spec, Target target, Sampler sampler) {
    long start = System.nanoTime();
    Result r = LoadGenerator.run(spec, target);
    long from = start + spec.warmup().toNanos();
    return new Measured(r, sampler.between(from, from + spec.duration().toNanos()));
  }
}
