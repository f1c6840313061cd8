package io.pipeserve.runtime.predictor;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import io.pipeserve.api.DeviceSpec;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Runtime model. On an accelerator there is one session per listed device and worker i uses
 * device ids[i % n] (Paddle's rule); on the CPU one session serves every worker (sessions are
 * thread-safe), each run using {@code device.threads} intra-op threads.
 */
public final class OnnxPredictor implements Predictor {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final List<OrtSession> sessions = new ArrayList<>();
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final Map<String, TensorInfo> inputInfo = new HashMap<>();
  private final List<TensorSpec> inputSpecs;
  private final List<TensorSpec> outputSpecs;

  private OnnxPredictor(Path model, DeviceSpec device) throws OrtException {
    List<Integer> ids = device.type().equals("cpu") ? List.of(-1) : device.idList();
    for (int id : ids) {
      try (SessionOptions options = options(device, id)) {
        sessions.add(env.createSession(model.toString(), options));
      }
    }
    OrtSession first = sessions.get(0);
    inputNames = List.copyOf(first.getInputNames());
    outputNames = List.copyOf(first.getOutputNames());
    for (Map.Entry<String, NodeInfo> e : first.getInputInfo().entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo ti) {
        inputInfo.put(e.getKey(), ti);
      }
    }
    inputSpecs = specs(first.getInputInfo());
    outputSpecs = specs(first.getOutputInfo());
  }

  // Non-tensor inputs and outputs (sequences, maps) are left out: pipeserve cannot feed them.
  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      if (node.getInfo() instanceof TensorInfo ti) {
        List<Long> shape = new ArrayList<>();
        for (long d : ti.getShape()) {
          shape.add(d < 0 ? -1 : d);
        }
        specs.add(new TensorSpec(node.getName(), OnnxTensors.dtypeOf(ti.onnxType), shape));
      }
    }
    return List.copyOf(specs);
  }

  /**
   * Loads the model on the device.
   *
   * @throws IllegalStateException when the device cannot be used (no CUDA in this build or on this
   *     machine) or the model cannot be loaded; never falls back to the CPU silently
   */
  public static OnnxPredictor load(Path model, DeviceSpec device) {
    requireProvider(device);
    if (!device.precision().equals("fp32") && !device.type().equals("tensorrt")) {
      throw new IllegalStateException(
          "device.precision "
              + device.precision()
              + " needs device.type tensorrt; on "
              + device.type()
              + " the model file fixes the precision (export an "
              + device.precision()
              + " model and set precision fp32)");
    }
    try {
      return new OnnxPredictor(model, device);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "cannot load " + model + " on " + describe(device) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> inputNames() {
    return inputNames;
  }

  @Override
  public List<String> outputNames() {
    return outputNames;
  }

  @Override
  public List<TensorSpec> inputSpecs() {
    return inputSpecs;
  }

  @Override
  public List<TensorSpec> outputSpecs() {
    return outputSpecs;
  }

  @Override
  public void check(String input, Tensor tensor) {
    TensorInfo info = inputInfo.get(input);
    if (info == null) {
      return;
    }
    DType want = OnnxTensors.dtypeOf(info.type);
    if (want != null && tensor.dtype() != want) {
      throw PipelineException.type(
          "model input '" + input + "' takes " + want + ", got " + tensor.dtype());
    }
    long[] shape = info.getShape();
    if (shape.length != tensor.rank()) {
      throw PipelineException.input(
          "model input '"
              + input
              + "' takes shape "
              + Arrays.toString(shape)
              + " (-1: any), got "
              + Arrays.toString(tensor.shape()));
    }
    for (int d = 1; d < shape.length; d++) {
      if (shape[d] >= 0 && shape[d] != tensor.dim(d)) {
        throw PipelineException.input(
            "model input '"
                + input
                + "' takes shape "
                + Arrays.toString(shape)
                + " (-1: any), got "
                + Arrays.toString(tensor.shape())
                + ": dimension "
                + d
                + " must be "
                + shape[d]);
      }
    }
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs, int worker, Call call)
      throws Exception {
    OrtSession session = sessions.get(worker % sessions.size());
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try (OrtSession.RunOptions runOptions = new OrtSession.RunOptions()) {
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        feed.put(e.getKey(), OnnxTensors.toOnnx(env, e.getValue()));
      }
      call.onCancel(
          () -> {
            try {
              runOptions.setTerminate(true);
            } catch (OrtException ignored) {
              // The run ended first: nothing left to stop.
            }
          });
      try (OrtSession.Result result = session.run(feed, runOptions)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          out.put(e.getKey(), OnnxTensors.fromOnnx((OnnxTensor) e.getValue()));
        }
        return out;
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    for (OrtSession s : sessions) {
      try {
        s.close();
      } catch (OrtException ignored) {
        // Closing at shutdown: nothing to do about a failure.
      }
    }
  }

  private static SessionOptions options(DeviceSpec device, int id) throws OrtException {
    SessionOptions o = new SessionOptions();
    o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
    o.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
    o.setIntraOpNumThreads(device.threads());
    o.setInterOpNumThreads(1);
    // Workers already give parallelism: spinning intra-op threads would steal their cores.
    o.addConfigEntry("session.intra_op.allow_spinning", "0");
    switch (device.type()) {
      case "cuda" -> o.addCUDA(id);
      case "tensorrt" -> {
        OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(id);
        trt.add("trt_fp16_enable", device.precision().equals("fp16") ? "1" : "0");
        trt.add("trt_int8_enable", device.precision().equals("int8") ? "1" : "0");
        o.addTensorrt(trt);
        o.addCUDA(id);
      }
      default -> {}
    }
    return o;
  }

  private static void requireProvider(DeviceSpec device) {
    OrtProvider needed =
        switch (device.type()) {
          case "cuda" -> OrtProvider.CUDA;
          case "tensorrt" -> OrtProvider.TENSOR_RT;
          default -> null;
        };
    if (needed == null) {
      return;
    }
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    if (!available.contains(needed)) {
      throw new IllegalStateException(
          "device.type "
              + device.type()
              + " asked for, but this ONNX Runtime has no "
              + needed
              + " provider (available: "
              + available
              + "). Build with the gpu profile (./mvnw -Pgpu package) on a machine with CUDA, or"
              + " set device.type cpu.");
    }
  }

  private static String describe(DeviceSpec device) {
    return device.type().equals("cpu") ? "cpu" : device.type() + " devices " + device.ids();
  }
}
