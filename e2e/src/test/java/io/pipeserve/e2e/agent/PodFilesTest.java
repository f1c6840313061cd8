package io.pipeserve.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A pod's volumes and mounts laid out on the node, and container paths rewritten to them. */
class PodFilesTest {
  private static final ConfigMap CONFIG =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withName("ocr-config")
          .endMetadata()
          .withData(Map.of("pipeline.yaml", "name: ocr", "trace.yaml", "level: off"))
          .build();

  @TempDir Path root;

  @Test
  void configMapVolume_hasEachKeyAsAFile() throws IOException {
    PodFiles files =
        create(
            List.of(configMapVolume("config", "ocr-config")),
            container(mount("config", "/etc/pipeserve")));

    assertThat(files.resolve("/etc/pipeserve/pipeline.yaml")).hasContent("name: ocr");
    assertThat(files.resolve("/etc/pipeserve/trace.yaml")).hasContent("level: off");
    assertThat(list(files.resolve("/etc/pipeserve")))
        .containsExactly("pipeline.yaml", "trace.yaml");
  }

  @Test
  void configMapVolumeWithItems_hasOnlyThoseKeys_atTheirPaths() throws IOException {
    Volume volume =
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName("ocr-config")
            .addNewItem()
            .withKey("trace.yaml")
            .withPath("trace/level.yaml")
            .endItem()
            .endConfigMap()
            .build();

    PodFiles files = create(List.of(volume), container(mount("config", "/etc/pipeserve")));

    assertThat(files.resolve("/etc/pipeserve/trace/level.yaml")).hasContent("level: off");
    assertThat(list(files.resolve("/etc/pipeserve"))).containsExactly("trace");
  }

  @Test
  void emptyDirVolume_isAnEmptyDirectory() throws IOException {
    PodFiles files = create(List.of(emptyDir("tmp")), container(mount("tmp", "/tmp")));

    assertThat(files.resolve("/tmp")).isDirectory();
    assertThat(list(files.resolve("/tmp"))).isEmpty();
  }

  @Test
  void subPathMount_isACopyOfThatOneFile() throws IOException {
    VolumeMount pipeline =
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath("/etc/pipeserve/pipeline.yaml")
            .withSubPath("pipeline.yaml")
            .build();

    PodFiles files = create(List.of(configMapVolume("config", "ocr-config")), container(pipeline));

    Path file = files.resolve("/etc/pipeserve/pipeline.yaml");
    assertThat(file).isRegularFile().hasContent("name: ocr");
    assertThat(Files.isSymbolicLink(file)).isFalse();
    assertThat(list(root.resolve("etc/pipeserve"))).containsExactly("pipeline.yaml");
  }

  @Test
  void directoryMount_isALinkToTheVolume_soContainersMountingItElsewhereShareItsFiles()
      throws IOException {
    Container fetcher = container(mount("models", "/download"));
    Container runtime = container(mount("models", "/etc/pipeserve/models"));
    PodSpec spec =
        new PodSpecBuilder()
            .withVolumes(emptyDir("models"))
            .withInitContainers(fetcher)
            .withContainers(runtime)
            .build();
    PodFiles files = PodFiles.create(root, spec, name -> null);

    Files.writeString(files.resolve("/download/det.onnx"), "model");

    assertThat(Files.isSymbolicLink(files.resolve("/etc/pipeserve/models"))).isTrue();
    assertThat(files.resolve("/etc/pipeserve/models/det.onnx")).hasContent("model");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedVolumes")
  void unsupportedVolumeKind_isRefused_namingTheVolume(Volume volume) {
    assertThatThrownBy(() -> create(List.of(volume), container(mount("data", "/data"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("volume data")
        .hasMessageContaining("configMap and emptyDir only");
  }

  static Stream<Named<Volume>> unsupportedVolumes() {
    return Stream.of(
        named(
            "persistentVolumeClaim",
            new VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("models")
                .endPersistentVolumeClaim()
                .build()),
        named(
            "secret",
            new VolumeBuilder()
                .withName("data")
                .withNewSecret()
                .withSecretName("token")
                .endSecret()
                .build()),
        named(
            "hostPath",
            new VolumeBuilder()
                .withName("data")
                .withNewHostPath()
                .withPath("/data")
                .endHostPath()
                .build()));
  }

  @Test
  void configMapVolumeOfAMissingConfigMap_isRefused_namingTheVolumeAndTheConfigMap() {
    assertThatThrownBy(
            () ->
                create(
                    List.of(configMapVolume("config", "gone")),
                    container(mount("config", "/etc/pipeserve"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("volume config: configmap gone not found");
  }

  @Test
  void mountOfAVolumeThePodDoesNotHave_isRefused_namingIt() {
    assertThatThrownBy(() -> create(List.of(), container(mount("models", "/models"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mount of unknown volume models");
  }

  @Test
  void rewrite_replacesAMountPathAndThePathsBelowIt() {
    PodFiles files = create(List.of(emptyDir("tmp")), container(mount("tmp", "/tmp")));

    assertThat(files.rewrite("/tmp")).isEqualTo(root + "/tmp");
    assertThat(files.rewrite("/tmp/onnx/lib.so")).isEqualTo(root + "/tmp/onnx/lib.so");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/tmpfoo", "/tmp.d/x", "/x/tmp", "/var/tmp/x", "./tmp", "http://h/tmp"})
  void rewrite_leavesAMountPathThatIsNotAWholePathFromTheRoot(String text) {
    PodFiles files = create(List.of(emptyDir("tmp")), container(mount("tmp", "/tmp")));

    assertThat(files.rewrite(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'/tmp/x'",
        "\"/tmp\"",
        "-Djava.io.tmpdir=/tmp",
        "/usr/bin:/tmp:/bin",
        "a,/tmp,b",
        "cd /tmp; ls"
      })
  void rewrite_replacesAMountPathBetweenPathBoundaries(String text) {
    PodFiles files = create(List.of(emptyDir("tmp")), container(mount("tmp", "/tmp")));

    assertThat(files.rewrite(text)).isEqualTo(text.replace("/tmp", root + "/tmp"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"echo \"$(ls /tmp)\"", "dir=${TMPDIR:-/tmp}"})
  void rewrite_replacesAMountPathClosedByAShellParenthesisOrBrace(String text) {
    PodFiles files = create(List.of(emptyDir("tmp")), container(mount("tmp", "/tmp")));

    assertThat(files.rewrite(text)).isEqualTo(text.replace("/tmp", root + "/tmp"));
  }

  @Test
  void rewrite_leavesAMountPathAfterAShellExpansion() {
    PodFiles files = create(List.of(emptyDir("tmp")), container(mount("tmp", "/tmp")));

    assertThat(files.rewrite("${HOME}/tmp")).isEqualTo("${HOME}/tmp");
    assertThat(files.rewrite("$(pwd)/tmp")).isEqualTo("$(pwd)/tmp");
  }

  @Test
  void rewrite_replacesMountPathsInsideQuotesOfAShellScript() {
    PodFiles files = create(List.of(emptyDir("models")), container(mount("models", "/models")));
    String script =
        """
        set -eu
        mkdir -p "$(dirname '/models/ocr/det.onnx')"
        curl -fsSL -o '/models/ocr/det.onnx.part' 'https://example.org/det.onnx'
        mv '/models/ocr/det.onnx.part' "/models/ocr/det.onnx"
        """;

    assertThat(files.rewrite(script)).isEqualTo(script.replace("/models/", root + "/models/"));
  }

  @Test
  void rewrite_replacesEachOfMountPathsSharingAParent_wholeAndOnce() {
    VolumeMount pipeline =
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath("/etc/pipeserve/pipeline.yaml")
            .withSubPath("pipeline.yaml")
            .build();
    PodFiles files =
        create(
            List.of(configMapVolume("config", "ocr-config"), emptyDir("models")),
            container(pipeline, mount("models", "/etc/pipeserve/models")));

    assertThat(files.rewrite("serve /etc/pipeserve/pipeline.yaml --models=/etc/pipeserve/models/"))
        .isEqualTo(
            "serve "
                + root
                + "/etc/pipeserve/pipeline.yaml --models="
                + root
                + "/etc/pipeserve/models/");
  }

  @Test
  void rewrite_replacesANestedMountPathOnce() {
    PodFiles files =
        create(
            List.of(emptyDir("data"), emptyDir("models")),
            container(mount("data", "/data"), mount("models", "/data/models")));

    assertThat(files.rewrite("/data/models/det.onnx")).isEqualTo(root + "/data/models/det.onnx");
  }

  @Test
  void rewrite_leavesEverything_whenThePodMountsNothing() {
    PodFiles files = create(List.of(), container());

    assertThat(files.rewrite("/tmp /etc/pipeserve")).isEqualTo("/tmp /etc/pipeserve");
  }

  private PodFiles create(List<Volume> volumes, Container container) {
    PodSpec spec = new PodSpecBuilder().withVolumes(volumes).withContainers(container).build();
    return PodFiles.create(root, spec, name -> name.equals("ocr-config") ? CONFIG : null);
  }

  private static Container container(VolumeMount... mounts) {
    return new ContainerBuilder().withName("runtime").withVolumeMounts(mounts).build();
  }

  private static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
  }

  private static Volume configMapVolume(String name, String configMap) {
    return new VolumeBuilder()
        .withName(name)
        .withNewConfigMap()
        .withName(configMap)
        .endConfigMap()
        .build();
  }

  private static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
