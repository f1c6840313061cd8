package io.pipeserve.runtime.step.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.OcrExample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.Steps;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * examples/ocr/pipeline.yaml is consistent with the steps and the models: it binds to the spec
 * records, every step and parameter exists, and run op by op as the executor contract says (feed
 * and fetch by position, outputs filtered), it reads a sample image exactly.
 */
class OcrPipelineYamlTest {
  private static final Path YAML = OcrExample.DIR.resolve("pipeline.yaml");

  private final PipelineSpec spec = read();

  private static PipelineSpec read() {
    try {
      return new YAMLMapper().readValue(YAML.toFile(), PipelineSpec.class);
    } catch (Exception e) {
      throw new AssertionError("cannot read " + YAML, e);
    }
  }

  @Test
  void definesTheDetClsRecChain() {
    assertThat(spec.ops()).extracting(OpSpec::name).containsExactly("det", "cls", "rec");
    assertThat(spec.ops().get(2).outputs()).containsExactly("res");
  }

  @Test
  void feedsAndFetchesMatchTheModelsInputsAndOutputs() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (OpSpec op : spec.ops()) {
      try (OrtSession session = env.createSession(OcrExample.DIR.resolve(op.model()).toString())) {
        assertThat(op.feed()).as(op.name()).hasSize((int) session.getNumInputs());
        assertThat(op.fetch()).as(op.name()).hasSize((int) session.getNumOutputs());
      }
    }
  }

  @Test
  void readsTheRotatedSampleExactly() throws Exception {
    Path image = OcrExample.IMAGES.resolve("notice.png");
    Map<String, Object> fields =
        Map.of("image", Base64.getEncoder().encodeToString(Files.readAllBytes(image)));

    for (int i = 0; i < spec.ops().size(); i++) {
      fields = runOp(spec.ops().get(i), "ops[" + i + "]", fields);
    }

    List<String> lines = new ArrayList<>();
    JsonNode res = new ObjectMapper().readTree((String) fields.get("res"));
    res.forEach(line -> lines.add(line.get("text").asText()));
    assertThat(fields).containsOnlyKeys("res");
    assertThat(lines).containsExactlyElementsOf(OcrExample.expectedLines(image));
  }

  /** One op as the executor runs it, on one sample. */
  private static Map<String, Object> runOp(OpSpec op, String where, Map<String, Object> fields)
      throws Exception {
    Sample sample = new Sample(1, 0, fields);
    steps(op.preprocess(), where + ".preprocess").forEach(s -> s.apply(sample));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(OcrExample.DIR.resolve(op.model()).toString())) {
      List<String> inputNames = new ArrayList<>(session.getInputNames());
      Tensor x = sample.tensor(op.feed().get(0));
      if (x.dim(0) > 0) {
        try (OnnxTensor input =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape());
            OrtSession.Result result = session.run(Map.of(inputNames.get(0), input))) {
          OnnxTensor output = (OnnxTensor) result.get(0);
          FloatBuffer values = output.getFloatBuffer();
          float[] data = new float[values.remaining()];
          values.get(data);
          sample.put(op.fetch().get(0), Tensor.of(data, output.getInfo().getShape()));
        }
      }
    }
    steps(op.postprocess(), where + ".postprocess").forEach(s -> s.apply(sample));
    Map<String, Object> outputs = new HashMap<>();
    op.outputs().forEach(name -> outputs.put(name, sample.require(name)));
    return outputs;
  }

  private static List<Step> steps(List<StepSpec> specs, String where) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      steps.add(Steps.create(specs.get(i), new StepContext(OcrExample.DIR, where + "[" + i + "]")));
    }
    return steps;
  }
}
