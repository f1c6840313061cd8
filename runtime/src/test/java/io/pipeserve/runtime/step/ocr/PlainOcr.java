package io.pipeserve.runtime.step.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.OcrExample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.Steps;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The OCR chain det → cls → rec with the built-in steps and plain ONNX Runtime sessions, no
 * executor: the reference the OCR pipeline is checked and benchmarked against. Like the executor,
 * it feeds a model the field named after its input, stores the output in the field the steps read,
 * and skips a model (leaving its output absent) when the sample has no items.
 */
public final class PlainOcr implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession det;
  private final OrtSession cls;
  private final OrtSession rec;
  private final List<Step> beforeDet;
  private final List<Step> beforeCls;
  private final List<Step> beforeRec;
  private final List<Step> afterRec;

  public PlainOcr() throws OrtException {
    this(OcrExample.MODELS);
  }

  public PlainOcr(Path models) throws OrtException {
    det = env.createSession(models.resolve("ch_PP-OCRv4_det_infer.onnx").toString());
    cls = env.createSession(models.resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString());
    rec = env.createSession(models.resolve("ch_PP-OCRv4_rec_infer.onnx").toString());
    beforeDet =
        List.of(step(models, "image-decode", Map.of()), step(models, "det-resize", Map.of()));
    beforeCls =
        List.of(
            step(models, "db-postprocess", Map.of()),
            step(models, "crop-boxes", Map.of()),
            step(models, "cls-resize", Map.of()));
    beforeRec = List.of(step(models, "cls-rotate", Map.of()), step(models, "rec-resize", Map.of()));
    afterRec =
        List.of(
            step(models, "ctc-decode", Map.of("keys", "ppocr_keys_v1.txt")),
            step(models, "ocr-result", Map.of()));
  }

  /** Runs the chain on an encoded image; returns the {@code res} JSON of ocr-result. */
  public String recognize(byte[] encodedImage) throws OrtException {
    Sample sample =
        new Sample(1, 0, Map.of("image", Base64.getEncoder().encodeToString(encodedImage)));
    beforeDet.forEach(s -> s.apply(sample));
    infer(det, sample, "maps");
    beforeCls.forEach(s -> s.apply(sample));
    infer(cls, sample, "cls");
    beforeRec.forEach(s -> s.apply(sample));
    infer(rec, sample, "logits");
    afterRec.forEach(s -> s.apply(sample));
    return sample.string("res");
  }

  private void infer(OrtSession session, Sample sample, String outputField) throws OrtException {
    Tensor x = sample.tensor("x");
    if (x.dim(0) == 0) {
      return;
    }
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape());
        OrtSession.Result result = session.run(Map.of("x", input))) {
      OnnxTensor output = (OnnxTensor) result.get(0);
      FloatBuffer values = output.getFloatBuffer();
      float[] data = new float[values.remaining()];
      values.get(data);
      sample.put(outputField, Tensor.of(data, output.getInfo().getShape()));
    }
  }

  private static Step step(Path baseDir, String name, Map<String, Object> params) {
    return Steps.create(new StepSpec(name, params), new StepContext(baseDir, "plain-ocr." + name));
  }

  @Override
  public void close() throws OrtException {
    det.close();
    cls.close();
    rec.close();
  }
}
