package io.pipeserve.runtime.step.ocr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ocr-result}: the response of the OCR pipeline, as predict_system assembles it. Boxes,
 * texts and scores (one per line, in reading order) become a JSON array of {@code {"text",
 * "confidence", "box"}}; lines recognized with a confidence below dropScore are left out.
 */
public final class OcrResult implements Step {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String boxes;
  private final String texts;
  private final String scores;
  private final String output;
  private final double dropScore;

  /** One line of the response. */
  record Line(String text, float confidence, int[][] box) {}

  private OcrResult(String boxes, String texts, String scores, String output, double dropScore) {
    this.boxes = boxes;
    this.texts = texts;
    this.scores = scores;
    this.output = output;
    this.dropScore = dropScore;
  }

  public static OcrResult create(Params params, StepContext context) {
    String boxes = params.string("boxes", "boxes");
    String texts = params.string("texts", "texts");
    String scores = params.string("scores", "scores");
    String output = params.string("output", "res");
    double dropScore = params.number("dropScore", 0.5);
    return new OcrResult(boxes, texts, scores, output, dropScore);
  }

  @Override
  public void apply(Sample sample) {
    List<Quad> quads = Quad.fromSample(sample, boxes);
    String[] lines = strings(sample);
    float[] confidences = floats(sample);
    if (lines.length != quads.size() || confidences.length != quads.size()) {
      throw PipelineException.type(
          "fields '"
              + boxes
              + "', '"
              + texts
              + "' and '"
              + scores
              + "' must have one entry per line, got "
              + quads.size()
              + ", "
              + lines.length
              + " and "
              + confidences.length);
    }
    List<Line> result = new ArrayList<>();
    for (int i = 0; i < quads.size(); i++) {
      if (confidences[i] >= dropScore) {
        result.add(new Line(lines[i], confidences[i], corners(quads.get(i))));
      }
    }
    try {
      sample.put(output, JSON.writeValueAsString(result));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the OCR result as JSON", e);
    }
  }

  private String[] strings(Sample sample) {
    if (!sample.has(texts)) {
      return new String[0];
    }
    Tensor t = sample.tensor(texts);
    if (t.dtype() != DType.STRING || t.rank() != 1) {
      throw PipelineException.type(
          "field '" + texts + "' must be a STRING [n] tensor, got " + describe(t));
    }
    return t.strings();
  }

  private float[] floats(Sample sample) {
    if (!sample.has(scores)) {
      return new float[0];
    }
    Tensor t = sample.tensor(scores);
    if (t.dtype() != DType.FP32 || t.rank() != 1) {
      throw PipelineException.type(
          "field '" + scores + "' must be an FP32 [n] tensor, got " + describe(t));
    }
    return t.floats();
  }

  private static int[][] corners(Quad quad) {
    int[][] corners = new int[4][];
    for (int i = 0; i < 4; i++) {
      corners[i] = new int[] {(int) Math.round(quad.x(i)), (int) Math.round(quad.y(i))};
    }
    return corners;
  }

  private static String describe(Tensor t) {
    return t.dtype() + " " + Arrays.toString(t.shape());
  }
}
