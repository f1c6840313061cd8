package io.pipeserve.bench.scenario;

import io.pipeserve.api.BatchSpec;
import io.pipeserve.api.EndpointsSpec;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.SpecLoader;
import java.nio.file.Path;
import java.util.List;

/** A scenario's pipeline spec: read and validated from its file, then served on free ports. */
final class Specs {
  private Specs() {}

  static PipelineSpec load(Path file) {
    return onFreePorts(SpecLoader.loadValid(file));
  }

  /** The same pipeline on free ports (a scenario runs next to whatever else runs here). */
  static PipelineSpec onFreePorts(PipelineSpec spec) {
    ServerSpec s = spec.server();
    ServerSpec free =
        new ServerSpec(s.name(), 0, 0, null, s.workers(), s.maxBodyBytes(), s.pluginDir());
    return new PipelineSpec(free, spec.dag(), spec.ops(), spec.trace());
  }

  /** The same pipeline with op {@code name}'s batch timeout set to {@code timeoutMs}. */
  static PipelineSpec withBatchTimeout(PipelineSpec spec, String name, long timeoutMs) {
    OpSpec o = op(spec, name);
    return withOp(spec, copy(o, new BatchSpec(o.batch().size(), timeoutMs), o.endpoints()));
  }

  /** The same pipeline with op {@code name} in processes of its own, at {@code endpoints}. */
  static PipelineSpec withEndpoints(PipelineSpec spec, String name, EndpointsSpec endpoints) {
    OpSpec o = op(spec, name);
    return withOp(spec, copy(o, o.batch(), endpoints));
  }

  /** The same pipeline with the op of {@code changed}'s name replaced by it. */
  private static PipelineSpec withOp(PipelineSpec spec, OpSpec changed) {
    List<OpSpec> ops =
        spec.ops().stream().map(o -> o.name().equals(changed.name()) ? changed : o).toList();
    return new PipelineSpec(spec.server(), spec.dag(), ops, spec.trace());
  }

  private static OpSpec copy(OpSpec o, BatchSpec batch, EndpointsSpec endpoints) {
    return new OpSpec(
        o.name(),
        o.inputs(),
        o.kind(),
        o.model(),
        o.className(),
        o.remote(),
        o.preprocess(),
        o.postprocess(),
        o.feed(),
        o.fetch(),
        o.outputs(),
        o.concurrency(),
        batch,
        o.timeoutMs(),
        o.retry(),
        o.device(),
        o.params(),
        o.trace(),
        endpoints);
  }

  static OpSpec op(PipelineSpec spec, String name) {
    return spec.ops().stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the spec has no op '" + name + "'"));
  }
}
