package io.pipeserve.e2e.scenarios;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pipeserve.e2e.cluster.Cluster;
import io.pipeserve.e2e.cluster.ClusterExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scenario's OCR pipeline, as a JUnit extension: applied to a namespace of its own and Ready
 * before the scenario's tests, removed (and its processes stopped) after them.
 */
final class OcrScenario implements BeforeAllCallback, AfterAllCallback {
  private final String namespace;
  private final Consumer<Map<String, Object>> edit;
  private Cluster cluster;
  private OcrPipeline pipeline;
  private GenericKubernetesResource ready;
  private Duration readyAfter;

  /**
   * @param edit what the scenario changes in the manifest's spec before applying it
   */
  OcrScenario(String namespace, Consumer<Map<String, Object>> edit) {
    this.namespace = namespace;
    this.edit = edit;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = ClusterExtension.cluster(context);
    pipeline = new OcrPipeline(cluster, namespace);
    Instant applied = Instant.now();
    pipeline.apply(edit);
    ready = pipeline.awaitReady();
    readyAfter = Duration.between(applied, Instant.now());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (pipeline != null) {
      pipeline.remove();
    }
  }

  Cluster cluster() {
    return cluster;
  }

  OcrPipeline pipeline() {
    return pipeline;
  }

  /** The Pipeline when it was first Ready. */
  GenericKubernetesResource ready() {
    return ready;
  }

  /** How long it took from the apply to Ready. */
  Duration readyAfter() {
    return readyAfter;
  }
}
