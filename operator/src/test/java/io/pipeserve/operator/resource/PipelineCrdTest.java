package io.pipeserve.operator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pipeserve.api.PipelineSpec;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineCrdTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void spec_hasEveryTopLevelFieldOfThePipelineSpec_withTheSameRecord() {
    Map<String, Class<?>> resource =
        Arrays.stream(PipelineResourceSpec.class.getRecordComponents())
            .collect(
                java.util.stream.Collectors.toMap(
                    RecordComponent::getName, RecordComponent::getType));
    for (RecordComponent c : PipelineSpec.class.getRecordComponents()) {
      assertThat(resource)
          .as("PipelineResourceSpec must carry PipelineSpec.%s", c.getName())
          .containsEntry(c.getName(), c.getType());
    }
  }

  @Test
  void crd_isNamespacedWithShortNameStatusSubresourceAndPrinterColumns() throws IOException {
    CustomResourceDefinition crd = crd();
    assertThat(crd.getMetadata().getName()).isEqualTo("pipelines.pipeserve.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("psp");
    CustomResourceDefinitionVersion v1alpha1 = crd.getSpec().getVersions().get(0);
    assertThat(v1alpha1.getName()).isEqualTo("v1alpha1");
    assertThat(v1alpha1.getSubresources().getStatus()).isNotNull();
    assertThat(v1alpha1.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .contains("Ready", "Endpoint", "Age");
  }

  @Test
  void stepAndOpParams_keepWhateverValuesTheyHold() throws IOException {
    JSONSchemaProps op = spec().getProperties().get("ops").getItems().getSchema();
    assertThat(op.getProperties().get("params").getXKubernetesPreserveUnknownFields()).isTrue();
    JSONSchemaProps step = op.getProperties().get("preprocess").getItems().getSchema();
    assertThat(step.getProperties().get("params").getXKubernetesPreserveUnknownFields()).isTrue();
  }

  @Test
  void schema_carriesCelRulesForPlacementAndModels() throws IOException {
    JSONSchemaProps spec = spec();
    assertThat(rules(spec.getProperties().get("placement").getAdditionalProperties().getSchema()))
        .anyMatch(r -> r.startsWith("has(self.replicas)"));
    JSONSchemaProps models = spec.getProperties().get("models");
    assertThat(rules(models)).contains("!(has(self.pvc) && has(self.http))");
    assertThat(rules(models.getProperties().get("http").getItems().getSchema()))
        .anyMatch(r -> r.contains("startsWith('https://')"));
    assertThat(spec.getRequired()).contains("image", "ops");
    assertThat(spec.getProperties().get("ops").getMaxItems()).isEqualTo(64L);
  }

  private static java.util.List<String> rules(JSONSchemaProps schema) {
    return schema.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
  }

  private static JSONSchemaProps spec() throws IOException {
    return crd()
        .getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec");
  }

  private static CustomResourceDefinition crd() throws IOException {
    return JSON.unmarshal(CrdFreshnessTest.generated(), CustomResourceDefinition.class);
  }
}
