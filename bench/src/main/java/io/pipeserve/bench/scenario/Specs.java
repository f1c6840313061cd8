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
    List<OpSpec> ops =
        spec.ops().stream()
            .map(
                o ->
                    !o.name().equals(name)
                        ? o
                        : new OpSpec(
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
                            new BatchSpec(o.batch().size(), timeoutMs),
                            o.timeoutMs(),
                            o.retry(),
                            o.device(),
                            o.params(),
                            o.trace(),
                            o.endpoints()))
            .toList();
    return new PipelineSpec(spec.server(), spec.dag(), ops, spec.trace());
  }

  /** The same pipeline with op {@code name} in processes of its own, at {@code endpoints}. */
  static PipelineSpec withEndpoints(PipelineSpec spec, String name, EndpointsSpec endpoints) {
    op(spec, name);
    List<OpSpec> ops =
        spec.ops().stream()
            .map(
                o ->
                    !o.name().equals(name)
                        ? o
                        : new OpSpec(
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
                            o.batch(),
                            o.timeoutMs(),
                            o.retry(),
                            o.device(),
                            o.params(),
                            o.trace(),
                            endpoints))
            .toList();
    return new PipelineSpec(spec.server(), spec.dag(), ops, spec.trace());
  }

  static OpSpec op(PipelineSpec spec, String name) {
    return spec.ops().stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the spec has no op '" + name + "'"));
  }
}
