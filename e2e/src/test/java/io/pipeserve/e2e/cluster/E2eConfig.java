package io.pipeserve.e2e.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the scenarios run, from the environment.
 *
 * @param kubeconfig {@code E2E_KUBECONFIG}: a real cluster's kubeconfig; null runs them on this
 *     machine ({@link LocalCluster})
 * @param image {@code E2E_IMAGE}: the runtime image the Pipelines name
 * @param readyTimeout {@code E2E_READY_TIMEOUT_SECONDS}: how long a Pipeline may take to be Ready
 */
public record E2eConfig(Path kubeconfig, String image, Duration readyTimeout) {
  /** The image examples/ocr/k8s/pipeline.yaml names, which runtime/Dockerfile builds. */
  public static final String DEFAULT_IMAGE = "ghcr.io/pipeserve/runtime:0.1.0";

  public static E2eConfig fromEnvironment(Map<String, String> env) {
    String kubeconfig = env.get("E2E_KUBECONFIG");
    boolean remote = kubeconfig != null && !kubeconfig.isBlank();
    return new E2eConfig(
        remote ? Path.of(kubeconfig) : null,
        env.getOrDefault("E2E_IMAGE", DEFAULT_IMAGE),
        Duration.ofSeconds(
            Long.parseLong(env.getOrDefault("E2E_READY_TIMEOUT_SECONDS", remote ? "600" : "240"))));
  }

  public boolean remote() {
    return kubeconfig != null;
  }
}
