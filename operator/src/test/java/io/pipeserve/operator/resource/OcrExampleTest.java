package io.pipeserve.operator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.testing.Repo;
import io.pipeserve.operator.validation.PipelineValidator;
import org.junit.jupiter.api.Test;

/** The Kubernetes manifest of the OCR example serves the same pipeline as the local example. */
public class OcrExampleTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  public static Pipeline example() {
    Pipeline pipeline = JSON.unmarshal(Repo.read("examples/ocr/k8s/pipeline.yaml"), Pipeline.class);
    pipeline.getMetadata().setNamespace("ocr");
    return pipeline;
  }

  @Test
  void manifest_carriesThePipelineOfTheLocalExample() {
    assertThat(SpecLoader.toYaml(example().getSpec().pipeline()))
        .isEqualTo(SpecLoader.toYaml(SpecLoader.load(Repo.path("examples/ocr/pipeline.yaml"))));
  }

  @Test
  void manifest_isValid() {
    assertThat(PipelineValidator.validate(example())).isEmpty();
  }

  @Test
  void manifest_givesRecPodsOfItsOwn_andDownloadsEveryModel() {
    PipelineResourceSpec spec = example().getSpec();
    assertThat(spec.placementOf("rec").dedicated()).isTrue();
    assertThat(spec.placementOf("det").dedicated()).isFalse();
    assertThat(spec.models().http())
        .extracting(ModelSource.Download::path)
        .containsExactlyInAnyOrder(
            "ch_PP-OCRv4_det_infer.onnx",
            "ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "ch_PP-OCRv4_rec_infer.onnx",
            "ppocr_keys_v1.txt");
    assertThat(spec.models().mountPath()).isEqualTo(Names.CONFIG_DIR + "/models");
  }
}
