package io.pipeserve.api;

import java.util.List;
import java.util.Map;

/**
 * One op: preprocess steps, then its model ({@code process}), then postprocess steps.
 *
 * @param name unique op name
 * @param inputs names of the ops whose outputs this op reads; empty means the request
 * @param kind {@code onnx}, {@code remote}, {@code java} or {@code none} (steps only); see {@link
 *     OpKinds}
 * @param model model file for {@code onnx}, relative to the spec file's directory
 * @param className the user class for {@code java}
 * @param remote the model server and model a {@code remote} op calls; unset for other kinds
 * @param preprocess steps run on each sample before the model
 * @param postprocess steps run on each sample after the model
 * @param feed sample fields fed to the model inputs, by input position; empty means by input name
 * @param fetch sample fields the model outputs are stored in, by output position; empty means by
 *     output name
 * @param outputs the fields this op passes on; empty means all of them
 * @param concurrency worker threads of this op
 * @param batch auto-batching across requests
 * @param timeoutMs limit of one process (model) call; 0 means none
 * @param retry extra attempts of the process call; null means {@code dag.retry}
 * @param device where the model runs
 * @param params free-form settings for {@code java} ops
 * @param trace per-op trace settings; unset fields follow the global ones
 * @param endpoints where the op runs when it runs in processes of its own; null means in the
 *     gateway's process
 */
public record OpSpec(
    String name,
    List<String> inputs,
    String kind,
    String model,
    String className,
    RemoteSpec remote,
    List<StepSpec> preprocess,
    List<StepSpec> postprocess,
    List<String> feed,
    List<String> fetch,
    List<String> outputs,
    Integer concurrency,
    BatchSpec batch,
    Long timeoutMs,
    Integer retry,
    DeviceSpec device,
    Map<String, Object> params,
    TraceSpec trace,
    EndpointsSpec endpoints) {
  public OpSpec {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    kind = kind == null ? OpKinds.ONNX : kind;
    preprocess = preprocess == null ? List.of() : List.copyOf(preprocess);
    postprocess = postprocess == null ? List.of() : List.copyOf(postprocess);
    feed = feed == null ? List.of() : List.copyOf(feed);
    fetch = fetch == null ? List.of() : List.copyOf(fetch);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    concurrency = concurrency == null ? 1 : concurrency;
    batch = batch == null ? BatchSpec.DEFAULT : batch;
    timeoutMs = timeoutMs == null ? 0L : timeoutMs;
    device = device == null ? DeviceSpec.DEFAULT : device;
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
