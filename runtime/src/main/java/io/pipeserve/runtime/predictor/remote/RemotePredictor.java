package io.pipeserve.runtime.predictor.remote;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pipeserve.api.RemoteSpec;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelInferResponse;
import io.pipeserve.proto.inference.ModelMetadataRequest;
import io.pipeserve.proto.inference.ModelMetadataResponse;
import io.pipeserve.proto.inference.ModelMetadataResponse.TensorMetadata;
import io.pipeserve.proto.inference.ModelReadyRequest;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.predictor.Predictor;
import io.pipeserve.runtime.predictor.remote.RemoteChannels.Target;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A model on a remote server, called over the Open Inference Protocol v2 (gRPC): each batch is one
 * {@code ModelInfer} with every input in {@code raw_input_contents}, limited by the op's timeout as
 * its deadline and cancelled with the op's call.
 *
 * <p>Start-up waits for no server: the channels connect in the background, and the model's inputs
 * and outputs are read ({@code ModelMetadata}) when the first request needs them. Until that
 * succeeds every request fails with the reason (server unreachable, model unknown) and the next one
 * asks again.
 */
public final class RemotePredictor implements Predictor {
  // ModelMetadata is a small answer; without an op timeout it still must not hang a worker.
  private static final long METADATA_TIMEOUT_MS = 10_000;

  private final RemoteSpec spec;
  private final long timeoutMs;
  private final RemoteChannels channels;
  private volatile Signature signature;

  private RemotePredictor(RemoteSpec spec, long timeoutMs, RemoteChannels channels) {
    this.spec = spec;
    this.timeoutMs = timeoutMs;
    this.channels = channels;
  }

  /**
   * Creates the op's channels and starts connecting them.
   *
   * @param timeoutMs the op's timeout, the deadline of every call; 0 for none
   * @param baseDir the directory {@code remote.tls.caFile} is relative to
   * @throws IllegalStateException when the TLS settings cannot be used
   */
  public static RemotePredictor connect(RemoteSpec spec, long timeoutMs, Path baseDir) {
    if (spec == null) {
      throw new IllegalArgumentException("remote: required for kind remote");
    }
    return new RemotePredictor(spec, timeoutMs, RemoteChannels.open(spec, baseDir));
  }

  /**
   * The remote model's input names, in its order.
   *
   * @throws PipelineException when its metadata cannot be read
   */
  @Override
  public List<String> inputNames() {
    return signature().inputs().keySet().stream().toList();
  }

  /**
   * The remote model's output names, in its order.
   *
   * @throws PipelineException when its metadata cannot be read
   */
  @Override
  public List<String> outputNames() {
    return signature().outputs().keySet().stream().toList();
  }

  @Override
  public void check(String input, Tensor tensor) {
    TensorMetadata info = signature().inputs().get(input);
    if (info == null) {
      return;
    }
    DType want = OipTensors.dtype(info.getDatatype());
    if (want == null) {
      throw new PipelineException(
          ErrorCode.CLIENT_ERROR,
          where()
              + ": input '"
              + input
              + "' takes "
              + info.getDatatype()
              + ", a datatype pipeserve tensors cannot hold");
    }
    if (tensor.dtype() != want && !(want == DType.BYTES && tensor.dtype() == DType.STRING)) {
      throw PipelineException.type(
          where() + ": input '" + input + "' takes " + want + ", got " + tensor.dtype());
    }
    long[] shape = info.getShapeList().stream().mapToLong(Long::longValue).toArray();
    boolean fits = shape.length == tensor.rank();
    // Dimension 0 is the batch, whatever the server lists for it.
    for (int d = 1; d < shape.length && fits; d++) {
      fits = shape[d] < 0 || shape[d] == tensor.dim(d);
    }
    if (!fits) {
      throw PipelineException.input(
          where()
              + ": input '"
              + input
              + "' takes shape "
              + Arrays.toString(shape)
              + " (-1: any), got "
              + Arrays.toString(tensor.shape()));
    }
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs, int worker, Call call)
      throws Exception {
    Signature sig = signature();
    ModelInferRequest request = request(inputs);
    Target target = channels.pick();
    GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub =
        GRPCInferenceServiceGrpc.newFutureStub(target.channel());
    if (timeoutMs > 0) {
      stub = stub.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }
    ListenableFuture<ModelInferResponse> answer = stub.modelInfer(request);
    call.onCancel(() -> answer.cancel(true));
    ModelInferResponse response;
    try {
      response = answer.get();
    } catch (ExecutionException e) {
      throw RemoteFailures.of(Status.fromThrowable(e.getCause()), where(target), "ModelInfer");
    } catch (CancellationException e) {
      throw new PipelineException(
          ErrorCode.TIMEOUT, where(target) + ": ModelInfer cancelled by the op's timeout");
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    }
    return outputs(response, sig, target);
  }

  /**
   * Whether the server says the model is ready ({@code ModelReady}); false when it cannot be asked
   * within {@code timeout}.
   */
  public boolean ready(Duration timeout) {
    Target target = channels.pick();
    try {
      return GRPCInferenceServiceGrpc.newBlockingStub(target.channel())
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .modelReady(
              ModelReadyRequest.newBuilder()
                  .setName(spec.model())
                  .setVersion(spec.version())
                  .build())
          .getReady();
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    channels.close();
  }

  private ModelInferRequest request(Map<String, Tensor> inputs) {
    ModelInferRequest.Builder r =
        ModelInferRequest.newBuilder().setModelName(spec.model()).setModelVersion(spec.version());
    for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
      Tensor t = e.getValue();
      ModelInferRequest.InferInputTensor.Builder in =
          r.addInputsBuilder().setName(e.getKey()).setDatatype(OipTensors.datatype(t.dtype()));
      for (int d = 0; d < t.rank(); d++) {
        in.addShape(t.dim(d));
      }
      r.addRawInputContents(OipTensors.raw(t));
    }
    return r.build();
  }

  /** The outputs the model lists, read from raw or typed contents. */
  private Map<String, Tensor> outputs(ModelInferResponse response, Signature sig, Target target) {
    int count = response.getOutputsCount();
    boolean raw = response.getRawOutputContentsCount() > 0;
    if (raw && response.getRawOutputContentsCount() != count) {
      throw bad(
          target,
          "the answer has "
              + count
              + " outputs but "
              + response.getRawOutputContentsCount()
              + " raw_output_contents");
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      ModelInferResponse.InferOutputTensor o = response.getOutputs(i);
      if (!sig.outputs().containsKey(o.getName())) {
        continue;
      }
      DType dtype = OipTensors.dtype(o.getDatatype());
      if (dtype == null) {
        throw bad(
            target,
            "output '"
                + o.getName()
                + "' has datatype "
                + o.getDatatype()
                + ", which pipeserve tensors cannot hold");
      }
      long[] shape = new long[o.getShapeCount()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = o.getShape(d);
      }
      try {
        out.put(
            o.getName(),
            raw
                ? OipTensors.fromRaw(dtype, shape, response.getRawOutputContents(i))
                : OipTensors.fromContents(dtype, shape, o.getContents()));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw bad(
            target,
            "output '"
                + o.getName()
                + "' of shape "
                + Arrays.toString(shape)
                + " "
                + e.getMessage());
      }
    }
    for (String name : sig.outputs().keySet()) {
      if (!out.containsKey(name)) {
        throw bad(target, "the answer lacks output '" + name + "'");
      }
    }
    return out;
  }

  private PipelineException bad(Target target, String what) {
    return new PipelineException(ErrorCode.CLIENT_ERROR, where(target) + ": " + what);
  }

  private Signature signature() {
    Signature s = signature;
    if (s == null) {
      synchronized (this) {
        if (signature == null) {
          signature = readSignature();
        }
        s = signature;
      }
    }
    return s;
  }

  /**
   * Asks the servers in turn until one answers: every endpoint serves the same model, and one that
   * is down (or still connecting when the first request comes) must not fail that request.
   */
  private Signature readSignature() {
    PipelineException unreachable = null;
    for (int i = 0; i < channels.size(); i++) {
      Target target = channels.pick();
      try {
        return readSignature(target);
      } catch (StatusRuntimeException e) {
        PipelineException failure =
            RemoteFailures.of(e.getStatus(), where(target), "ModelMetadata");
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw failure;
        }
        unreachable = failure;
      }
    }
    throw unreachable;
  }

  private Signature readSignature(Target target) {
    long ms = timeoutMs > 0 ? timeoutMs : METADATA_TIMEOUT_MS;
    ModelMetadataResponse m =
        GRPCInferenceServiceGrpc.newBlockingStub(target.channel())
            .withDeadlineAfter(ms, TimeUnit.MILLISECONDS)
            .modelMetadata(
                ModelMetadataRequest.newBuilder()
                    .setName(spec.model())
                    .setVersion(spec.version())
                    .build());
    if (m.getInputsCount() == 0 || m.getOutputsCount() == 0) {
      throw bad(
          target, "its metadata lists no " + (m.getInputsCount() == 0 ? "inputs" : "outputs"));
    }
    return new Signature(byName(m.getInputsList()), byName(m.getOutputsList()));
  }

  private static Map<String, TensorMetadata> byName(List<TensorMetadata> tensors) {
    Map<String, TensorMetadata> map = new LinkedHashMap<>();
    tensors.forEach(t -> map.put(t.getName(), t));
    return map;
  }

  /** "remote model 'm'", with its version when one is asked for: what errors say it is. */
  public String where() {
    return "remote model '"
        + spec.model()
        + "'"
        + (spec.version().isEmpty() ? "" : " version " + spec.version());
  }

  private String where(Target target) {
    return where() + " at " + target.endpoint();
  }

  /** The remote model's inputs and outputs, in its order. */
  private record Signature(
      Map<String, TensorMetadata> inputs, Map<String, TensorMetadata> outputs) {}
}
