package io.pipeserve.bench.scenario;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/** Plain ONNX Runtime sessions for the baselines, set up as the pipeline sets up a CPU model. */
final class OnnxSessions {
  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private OnnxSessions() {}

  /**
   * The options of runtime's {@code OnnxPredictor} on the CPU: full graph optimization, sequential
   * execution, {@code threads} intra-op threads without spinning. A baseline with other options
   * would measure ONNX Runtime settings, not the pipeline.
   */
  static OrtSession open(Path model, int threads) {
    try (SessionOptions o = new SessionOptions()) {
      o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      o.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      return ENV.createSession(model.toString(), o);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load " + model + ": " + e.getMessage(), e);
    }
  }

  static OnnxTensor input(Tensor t) throws OrtException {
    return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.floats()), t.shape());
  }

  static Tensor output(OnnxTensor o) throws OrtException {
    FloatBuffer values = o.getFloatBuffer();
    float[] data = new float[values.remaining()];
    values.get(data);
    return Tensor.of(data, o.getInfo().getShape());
  }
}
