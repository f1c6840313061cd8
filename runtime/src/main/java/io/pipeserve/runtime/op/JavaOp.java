package io.pipeserve.runtime.op;

import java.util.List;
import java.util.Map;

/**
 * A user op ({@code kind: java}, {@code className: ...}), as Paddle's Op subclasses: {@link
 * #preprocess} and {@link #postprocess} see one sample, {@link #process} one batch of samples
 * (several requests when the op batches). The op's built-in steps run around them: preprocess steps
 * before {@link #preprocess}, postprocess steps after {@link #postprocess}.
 *
 * <p>One instance serves all workers of the op, so implementations must be thread-safe. Throw
 * {@link io.pipeserve.runtime.error.PipelineException} for bad input or a product error.
 */
public interface JavaOp extends AutoCloseable {

  /** Called once before any request, with the op's {@code params}. */
  default void init(Map<String, Object> params) throws Exception {}

  /** Prepares one sample; may call {@link Sample#skipProcess()}. */
  default void preprocess(Sample sample) throws Exception {}

  /** The op's work on a batch: reads and writes the samples' fields. */
  void process(List<Sample> batch) throws Exception;

  /** Finishes one sample after {@link #process}. */
  default void postprocess(Sample sample) throws Exception {}

  @Override
  default void close() throws Exception {}
}
