package io.pipeserve.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment variables that choose where the scenarios run. */
class E2eConfigTest {
  @TempDir Path dir;

  @Test
  void noVariables_runOnThisMachine_withTheExamplesImage() {
    E2eConfig config = E2eConfig.fromEnvironment(Map.of());

    assertThat(config.remote()).isFalse();
    assertThat(config.kubeconfig()).isNull();
    assertThat(config.image()).isEqualTo("ghcr.io/pipeserve/runtime:0.1.0");
    assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(240));
  }

  @Test
  void blankVariables_countAsUnset() {
    E2eConfig config =
        E2eConfig.fromEnvironment(
            Map.of("E2E_KUBECONFIG", " ", "E2E_IMAGE", "", "E2E_READY_TIMEOUT_SECONDS", " "));

    assertThat(config).isEqualTo(E2eConfig.fromEnvironment(Map.of()));
  }

  @Test
  void aKubeconfig_runsOnThatCluster_withMoreTimeToBeReady() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("kind.kubeconfig"), "apiVersion: v1\n");

    E2eConfig config = E2eConfig.fromEnvironment(Map.of("E2E_KUBECONFIG", kubeconfig.toString()));

    assertThat(config.remote()).isTrue();
    assertThat(config.kubeconfig()).isEqualTo(kubeconfig.toAbsolutePath());
    assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void theImage_isTheOneGiven() {
    E2eConfig config =
        E2eConfig.fromEnvironment(Map.of("E2E_IMAGE", "registry.local:5000/pipeserve/runtime:dev"));

    assertThat(config.image()).isEqualTo("registry.local:5000/pipeserve/runtime:dev");
  }

  @Test
  void theReadyTimeout_isInSeconds_andWinsOverEitherDefault() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("config"), "apiVersion: v1\n");

    assertThat(E2eConfig.fromEnvironment(Map.of("E2E_READY_TIMEOUT_SECONDS", "90")).readyTimeout())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(
            E2eConfig.fromEnvironment(
                    Map.of(
                        "E2E_KUBECONFIG",
                        kubeconfig.toString(),
                        "E2E_READY_TIMEOUT_SECONDS",
                        "1800"))
                .readyTimeout())
        .isEqualTo(Duration.ofSeconds(1800));
  }

  @Test
  void aKubeconfigThatDoesNotExist_isRefused_sayingWhereItWasLookedFor() {
    Path missing = dir.resolve("nothing-here.kubeconfig");

    assertThatThrownBy(
            () -> E2eConfig.fromEnvironment(Map.of("E2E_KUBECONFIG", missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("E2E_KUBECONFIG=" + missing)
        .hasMessageContaining("there is no file " + missing)
        .hasMessageContaining("absolute path");
  }

  @Test
  void aRelativeKubeconfigPath_isTakenFromTheWorkingDirectory_whichTheMessageNames() {
    assertThatThrownBy(
            () -> E2eConfig.fromEnvironment(Map.of("E2E_KUBECONFIG", "no/such/kubeconfig")))
        .hasMessageContaining(Path.of("no/such/kubeconfig").toAbsolutePath().toString())
        .hasMessageContaining("relative paths are taken from " + Path.of("").toAbsolutePath());
  }

  @Test
  void aKubeconfigThatIsADirectory_isRefused() {
    assertThatThrownBy(() -> E2eConfig.fromEnvironment(Map.of("E2E_KUBECONFIG", dir.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("E2E_KUBECONFIG=" + dir)
        .hasMessageContaining("not a readable file");
  }

  @Test
  void aReadyTimeoutThatIsNoNumber_isRefused_namingTheVariable() {
    assertThatThrownBy(() -> E2eConfig.fromEnvironment(Map.of("E2E_READY_TIMEOUT_SECONDS", "10m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("E2E_READY_TIMEOUT_SECONDS=10m")
        .hasMessageContaining("not a whole number of seconds");
  }

  @Test
  void aReadyTimeoutThatIsNotPositive_isRefused_namingTheVariable() {
    for (String value : new String[] {"0", "-5"}) {
      assertThatThrownBy(
              () -> E2eConfig.fromEnvironment(Map.of("E2E_READY_TIMEOUT_SECONDS", value)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("E2E_READY_TIMEOUT_SECONDS=" + value)
          .hasMessageContaining("must be > 0");
    }
  }
}
