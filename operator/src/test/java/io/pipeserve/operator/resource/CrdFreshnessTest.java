package io.pipeserve.operator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.operator.testing.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The CRD in {@code crds/} (what users apply) and in the chart is the one the build generates from
 * the {@link Pipeline} classes and the spec records; after a change to either, copy it:
 *
 * <pre>
 * ./mvnw -q process-classes -pl operator -am
 * cp operator/target/classes/META-INF/fabric8/pipelines.pipeserve.io-v1.yml crds/
 * cp crds/pipelines.pipeserve.io-v1.yml charts/pipeserve/crds/
 * </pre>
 */
class CrdFreshnessTest {
  static final String CRD = "pipelines.pipeserve.io-v1.yml";

  @Test
  void crdsDirectory_holdsTheGeneratedCrd() throws IOException {
    assertThat(Repo.read("crds/" + CRD))
        .as("crds/%s is stale: copy it from operator/target/classes/META-INF/fabric8/", CRD)
        .isEqualTo(generated());
  }

  @Test
  void chart_holdsTheGeneratedCrd() throws IOException {
    assertThat(Repo.read("charts/pipeserve/crds/" + CRD))
        .as("charts/pipeserve/crds/%s is stale: copy it from crds/", CRD)
        .isEqualTo(generated());
  }

  static String generated() throws IOException {
    try (InputStream in = CrdFreshnessTest.class.getResourceAsStream("/META-INF/fabric8/" + CRD)) {
      assertThat(in).as("the build generates META-INF/fabric8/%s", CRD).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
