package io.pipeserve.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the scenarios run, from the environment. A setting that is set but unusable fails the run
 * at once, naming the variable: a typo must not quietly run the suite somewhere else than meant.
 *
 * @param kubeconfig {@code E2E_KUBECONFIG}: a real cluster's kubeconfig, as an absolute path; null
 *     runs them on this machine ({@link LocalCluster})
 * @param image {@code E2E_IMAGE}: the runtime image the Pipelines name
 * @param readyTimeout {@code E2E_READY_TIMEOUT_SECONDS}: how long a Pipeline may take to be Ready
 */
public record E2eConfig(Path kubeconfig, String image, Duration readyTimeout) {
  public static final String KUBECONFIG = "E2E_KUBECONFIG";
  public static final String IMAGE = "E2E_IMAGE";
  public static final String READY_TIMEOUT = "E2E_READY_TIMEOUT_SECONDS";

  /** The image examples/ocr/k8s/pipeline.yaml names, which runtime/Dockerfile builds. */
  public static final String DEFAULT_IMAGE = "ghcr.io/pipeserve/runtime:0.1.0";

  /** Processes on this machine start in seconds; a real cluster also pulls images and models. */
  public static final Duration DEFAULT_LOCAL_READY_TIMEOUT = Duration.ofSeconds(240);

  public static final Duration DEFAULT_REMOTE_READY_TIMEOUT = Duration.ofSeconds(600);

  /**
   * The settings in {@code env}; unset and blank variables take their defaults.
   *
   * @throws IllegalArgumentException naming the variable whose value cannot be used, and why
   */
  public static E2eConfig fromEnvironment(Map<String, String> env) {
    Path kubeconfig = kubeconfig(value(env, KUBECONFIG));
    String image = value(env, IMAGE);
    String timeout = value(env, READY_TIMEOUT);
    return new E2eConfig(
        kubeconfig,
        image == null ? DEFAULT_IMAGE : image,
        timeout != null
            ? seconds(timeout)
            : kubeconfig != null ? DEFAULT_REMOTE_READY_TIMEOUT : DEFAULT_LOCAL_READY_TIMEOUT);
  }

  public boolean remote() {
    return kubeconfig != null;
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Path kubeconfig(String value) {
    if (value == null) {
      return null;
    }
    // Under Maven the tests run in e2e/, not where ./mvnw was typed: show where it was looked for.
    Path path = Path.of(value).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(
          KUBECONFIG
              + "="
              + value
              + ": there is no file "
              + path
              + " (relative paths are taken from "
              + Path.of("").toAbsolutePath()
              + "); give the absolute path of the cluster's kubeconfig, e.g. the file that"
              + " `kind get kubeconfig` or `k3d kubeconfig get` wrote, or unset "
              + KUBECONFIG
              + " to run the suite on this machine");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException(
          KUBECONFIG
              + "="
              + value
              + ": "
              + path
              + " is not a readable file; give a kubeconfig file");
    }
    return path;
  }

  private static Duration seconds(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          READY_TIMEOUT + "=" + value + ": not a whole number of seconds; set it to e.g. 900");
    }
    if (seconds <= 0) {
      throw new IllegalArgumentException(
          READY_TIMEOUT + "=" + value + ": must be > 0 seconds; set it to e.g. 900");
    }
    return Duration.ofSeconds(seconds);
  }
}
