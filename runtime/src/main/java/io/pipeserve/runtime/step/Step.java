package io.pipeserve.runtime.step;

import io.pipeserve.runtime.op.Sample;

/**
 * One pre- or postprocessing step. It transforms a sample in place; it is created once per op and
 * called from several worker threads, so it keeps no per-call state.
 */
@FunctionalInterface
public interface Step {
  /**
   * Transforms the sample.
   *
   * @throws io.pipeserve.runtime.error.PipelineException for bad input (naming the field) or a
   *     product error
   */
  void apply(Sample sample);
}
