package io.pipeserve.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image read from its Dockerfile, run from this machine's build output. */
class LocalImageTest {
  private static final Path RUNTIME_DOCKERFILE = Path.of("..", "runtime", "Dockerfile");

  @TempDir Path dir;

  @Test
  void runtimeImage_runsItsEntrypoint_onTheJarOfTheLocalBuild() {
    Path runtime = Path.of("..", "runtime", "target");
    LocalImage image = cpuImage(Map.of("/opt/pipeserve", runtime));
    PodFiles files =
        PodFiles.create(
            dir.resolve("pod"), new io.fabric8.kubernetes.api.model.PodSpec(), n -> null);

    assertThat(image.entrypoint())
        .containsExactly("java", "-jar", "/opt/pipeserve/pipeserve-runtime.jar");
    assertThat(image.cmd()).containsExactly("--help");
    assertThat(files.rewrite(image.entrypoint().get(2), image.files()))
        .isEqualTo(runtime.toAbsolutePath() + "/pipeserve-runtime.jar");
  }

  @Test
  void runtimeImage_hasTheJavaToolOptionsOfItsDockerfile() {
    LocalImage image = cpuImage(Map.of());

    assertThat(image.env())
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void runtimeImage_hasNothingOfTheOtherStages() {
    LocalImage image = cpuImage(Map.of());

    assertThat(image.env())
        .doesNotContainKeys("JAVA_HOME", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");
  }

  @Test
  void image_hasThisJvmFirstOnItsPath() {
    LocalImage image = cpuImage(Map.of());

    assertThat(image.path()).startsWith(Path.of(System.getProperty("java.home"), "bin") + ":");
  }

  @Test
  void image_keepsTheNetworkArgsItIsGiven() {
    LocalImage image =
        LocalImage.fromDockerfile(
            RUNTIME_DOCKERFILE, "cpu", Map.of(), List.of("--host", "{podIP}"));

    assertThat(image.networkArgs()).containsExactly("--host", "{podIP}");
  }

  @Test
  void unknownStage_isRefused_namingItAndTheDockerfile() {
    assertThatThrownBy(
            () -> LocalImage.fromDockerfile(RUNTIME_DOCKERFILE, "tpu", Map.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(RUNTIME_DOCKERFILE + " has no stage named tpu");
  }

  @Test
  void shellFormEntrypoint_isRefused() throws IOException {
    Path dockerfile =
        Files.writeString(
            dir.resolve("Dockerfile"), "FROM alpine AS app\nENTRYPOINT java -jar /app.jar\n");

    assertThatThrownBy(() -> LocalImage.fromDockerfile(dockerfile, "app", Map.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only the exec (JSON array) form is supported")
        .hasMessageContaining("java -jar /app.jar");
  }

  @Test
  void envPairs_readsSeveralPairs() {
    assertThat(LocalImage.envPairs("A=1  B=two C="))
        .containsExactly(Map.entry("A", "1"), Map.entry("B", "two"), Map.entry("C", ""));
  }

  @Test
  void envPairs_keepsSpacesAndEscapedQuotesInsideDoubleQuotes() {
    assertThat(LocalImage.envPairs("OPTS=\"-Xmx1g -Da=b\" Q=\"say \\\"hi\\\"\""))
        .containsExactly(Map.entry("OPTS", "-Xmx1g -Da=b"), Map.entry("Q", "say \"hi\""));
  }

  @Test
  void envPairs_keepsABackslashEscapedSpace() {
    assertThat(LocalImage.envPairs("DIR=/my\\ dir N=1"))
        .containsExactly(Map.entry("DIR", "/my dir"), Map.entry("N", "1"));
  }

  @Test
  void envPairs_keepsSpacesInsideSingleQuotes() {
    assertThat(LocalImage.envPairs("A='x y' B=1"))
        .containsExactly(Map.entry("A", "x y"), Map.entry("B", "1"));
  }

  @Test
  void instructions_joinContinuationLines() {
    List<String> instructions = LocalImage.instructions(RUNTIME_DOCKERFILE);

    assertThat(instructions)
        .map(i -> i.replaceAll("\\s+", " "))
        .contains(
            "RUN groupadd --gid 10001 pipeserve && useradd --uid 10001 --gid 10001"
                + " --no-create-home --shell /usr/sbin/nologin pipeserve && mkdir -p"
                + " /etc/pipeserve/models /var/lib/pipeserve && chown 10001:10001"
                + " /var/lib/pipeserve");
  }

  @Test
  void instructions_leaveOutCommentsAndBlankLines() throws IOException {
    Path dockerfile =
        Files.writeString(
            dir.resolve("Dockerfile"),
            """
            # the app
            FROM alpine AS app

              # indented comment
            ENV A=1
            """);

    assertThat(LocalImage.instructions(dockerfile))
        .containsExactly("FROM alpine AS app", "ENV A=1");
  }

  @Test
  void instructions_dropACommentLineInsideAContinuation() throws IOException {
    Path dockerfile =
        Files.writeString(
            dir.resolve("Dockerfile"),
            """
            FROM alpine AS app
            ENV A=1 \\
                # why B
                B=2
            """);

    assertThat(LocalImage.instructions(dockerfile))
        .map(i -> i.replaceAll("\\s+", " "))
        .containsExactly("FROM alpine AS app", "ENV A=1 B=2");
  }

  private static LocalImage cpuImage(Map<String, Path> files) {
    return LocalImage.fromDockerfile(RUNTIME_DOCKERFILE, "cpu", files, List.of());
  }
}
