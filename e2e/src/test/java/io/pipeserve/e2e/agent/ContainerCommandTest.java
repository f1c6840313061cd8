package io.pipeserve.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a pod's container becomes a command line, environment and working directory here. */
class ContainerCommandTest {
  private static final LocalImage RUNTIME =
      new LocalImage(
          List.of("java", "-jar", "/opt/pipeserve/pipeserve-runtime.jar"),
          List.of("--help"),
          Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60", "LANG", "C.UTF-8", "TZ", "UTC"),
          List.of());

  @TempDir Path dir;

  @Test
  void containerWithoutCommandOrArgs_runsTheImagesEntrypointAndCmd() {
    ContainerCommand command = command(container(c -> c));

    assertThat(command.command())
        .containsExactly("java", "-jar", "/opt/pipeserve/pipeserve-runtime.jar", "--help");
  }

  @Test
  void containerArgs_replaceTheImagesCmd_afterItsEntrypoint() {
    ContainerCommand command = command(container(c -> c.withArgs("validate", "pipeline.yaml")));

    assertThat(command.command())
        .containsExactly(
            "java", "-jar", "/opt/pipeserve/pipeserve-runtime.jar", "validate", "pipeline.yaml");
  }

  @Test
  void containerCommand_replacesTheImagesEntrypoint_andDropsItsCmd() {
    ContainerCommand command = command(container(c -> c.withCommand("sh", "-c", "exit 0")));

    assertThat(command.command()).containsExactly("sh", "-c", "exit 0");
  }

  @Test
  void containerCommandAndArgs_runAsGiven() {
    ContainerCommand command =
        command(container(c -> c.withCommand("sh", "-c").withArgs("exit 0")));

    assertThat(command.command()).containsExactly("sh", "-c", "exit 0");
  }

  @Test
  void noCommandInContainerOrImage_isRefused_namingTheContainer() {
    LocalImage bare = new LocalImage(List.of(), List.of(), Map.of(), List.of());

    assertThatThrownBy(() -> command(pod(), container(c -> c), bare, files()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("container runtime has no command and its image no entrypoint");
  }

  @Test
  void env_isTheImagesThenTheContainers() {
    ContainerCommand command =
        command(container(c -> c.withEnv(env("LANG", "en_US.UTF-8"), env("OP", "rec"))));

    assertThat(command.env())
        .containsEntry("LANG", "en_US.UTF-8")
        .containsEntry("OP", "rec")
        .containsEntry("TZ", "UTC");
  }

  @ParameterizedTest
  @CsvSource({
    "metadata.name, ocr-rec-7f9c2-xk4pz",
    "metadata.namespace, ocr",
    "metadata.uid, 6f1c1d2e-0000-4000-8000-000000000001",
    "spec.nodeName, e2e-node",
    "spec.serviceAccountName, pipeserve",
    "status.podIP, 127.10.0.7",
    "status.hostIP, 127.0.0.1"
  })
  void envFromAFieldRef_isThatFieldOfThePod(String fieldPath, String value) {
    ContainerCommand command = command(container(c -> c.withEnv(fieldRef("FIELD", fieldPath))));

    assertThat(command.env()).containsEntry("FIELD", value);
  }

  @Test
  void envFromAnUnsupportedFieldRef_isRefused_namingTheVariable() {
    Container container = container(c -> c.withEnv(fieldRef("APP", "metadata.labels['app']")));

    assertThatThrownBy(() -> command(container))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("env APP: unsupported fieldRef metadata.labels['app']");
  }

  @Test
  void envFromAConfigMapKey_isRefused_namingTheVariable() {
    EnvVar level =
        new EnvVarBuilder()
            .withName("LEVEL")
            .withNewValueFrom()
            .withNewConfigMapKeyRef()
            .withName("ocr-config")
            .withKey("level")
            .endConfigMapKeyRef()
            .endValueFrom()
            .build();

    assertThatThrownBy(() -> command(container(c -> c.withEnv(level))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("env LEVEL: the node agent supports valueFrom.fieldRef only");
  }

  @Test
  void envValue_expandsAVariableDefinedBeforeIt() {
    ContainerCommand command =
        command(
            container(
                c ->
                    c.withEnv(
                        fieldRef("POD_IP", "status.podIP"),
                        env("ADDRESS", "$(POD_IP):18091/$(LANG)"))));

    assertThat(command.env()).containsEntry("ADDRESS", "127.10.0.7:18091/C.UTF-8");
  }

  @Test
  void envValue_keepsAReferenceToAnUndefinedVariableAsWritten() {
    ContainerCommand command = command(container(c -> c.withEnv(env("ADDRESS", "$(NOPE):1"))));

    assertThat(command.env()).containsEntry("ADDRESS", "$(NOPE):1");
  }

  @Test
  void commandAndArgs_expandTheEnvironment_leavingUndefinedReferences() {
    ContainerCommand command =
        command(
            container(
                c ->
                    c.withCommand("run", "--op=$(OP)")
                        .withArgs("$(OP)-$(MISSING)")
                        .withEnv(env("OP", "rec"))));

    assertThat(command.command()).containsExactly("run", "--op=rec", "rec-$(MISSING)");
  }

  @Test
  void doubleDollar_escapesAReference() {
    ContainerCommand command =
        command(container(c -> c.withArgs("$$(OP)", "$(OP)").withEnv(env("OP", "rec"))));

    assertThat(command.command()).endsWith("$(OP)", "rec");
  }

  @Test
  void memoryLimit_becomesTheJvmsMaxRamInBytes_afterTheImagesOptions() {
    ContainerCommand command =
        command(
            container(
                c ->
                    c.withNewResources()
                        .addToLimits("memory", new Quantity("512Mi"))
                        .endResources()));

    assertThat(command.env().get("JAVA_TOOL_OPTIONS"))
        .startsWith("-XX:MaxRAMPercentage=60 -XX:MaxRAM=536870912 ");
  }

  @Test
  void noMemoryLimit_leavesTheJvmItsDefaultMaxRam() {
    ContainerCommand command =
        command(
            container(
                c -> c.withNewResources().addToRequests("cpu", new Quantity("1")).endResources()));

    assertThat(command.env().get("JAVA_TOOL_OPTIONS")).doesNotContain("MaxRAM=");
  }

  @Test
  void javaToolOptions_pointTheJvmAtTheNodesHostsFile() {
    ContainerCommand command = command(container(c -> c));

    assertThat(command.env().get("JAVA_TOOL_OPTIONS"))
        .isEqualTo("-XX:MaxRAMPercentage=60 -Djdk.net.hosts.file=" + hostsFile());
  }

  @Test
  void hostsFileOption_namesTheNodesHostsFile_evenUnderAMountedDirectory() {
    // The top directory of the node's files (/tmp for a @TempDir), mounted in the pod as the
    // pods' /tmp is.
    String mounted = "/" + dir.toAbsolutePath().getName(0);
    Pod pod =
        pod(
            p ->
                p.editSpec()
                    .withVolumes(
                        new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
                    .endSpec());
    Container container = container(c -> c.withVolumeMounts(mount("tmp", mounted)));
    PodFiles files = PodFiles.create(dir.resolve("pod"), podSpec(pod, container), name -> null);

    ContainerCommand command = command(pod, container, RUNTIME, files);

    assertThat(command.env().get("JAVA_TOOL_OPTIONS"))
        .endsWith("-Djdk.net.hosts.file=" + hostsFile());
  }

  @Test
  void networkArgs_followTheArgs_withThePodsAddress() {
    LocalImage image =
        new LocalImage(
            RUNTIME.entrypoint(), RUNTIME.cmd(), RUNTIME.env(), List.of("--host", "{podIP}"));

    ContainerCommand command =
        command(pod(), container(c -> c.withArgs("serve", "x.yaml")), image, files());

    assertThat(command.command()).endsWith("serve", "x.yaml", "--host", "127.10.0.7");
  }

  @Test
  void mountedPaths_inArgsAndEnv_areRewrittenToThePodsFiles() {
    Pod pod = pod(withEmptyDir("models"));
    Container container =
        container(
            c ->
                c.withArgs("serve", "/etc/pipeserve/models/ocr.yaml")
                    .withEnv(env("MODELS", "/etc/pipeserve/models"))
                    .withVolumeMounts(mount("models", "/etc/pipeserve/models")));
    PodFiles files = PodFiles.create(dir.resolve("pod"), podSpec(pod, container), name -> null);

    ContainerCommand command = command(pod, container, RUNTIME, files);

    Path root = dir.resolve("pod");
    assertThat(command.command()).endsWith("serve", root + "/etc/pipeserve/models/ocr.yaml");
    assertThat(command.env()).containsEntry("MODELS", root + "/etc/pipeserve/models");
  }

  @Test
  void workingDir_isRewrittenToThePodsFiles() {
    Pod pod = pod(withEmptyDir("work"));
    Container container =
        container(
            c ->
                c.withWorkingDir("/var/lib/pipeserve")
                    .withVolumeMounts(mount("work", "/var/lib/pipeserve")));
    PodFiles files = PodFiles.create(dir.resolve("pod"), podSpec(pod, container), name -> null);

    ContainerCommand command = command(pod, container, RUNTIME, files);

    assertThat(command.workingDir()).isEqualTo(dir.resolve("pod/var/lib/pipeserve")).isDirectory();
  }

  @Test
  void noWorkingDir_isThePodsDirectory() {
    ContainerCommand command = command(container(c -> c));

    assertThat(command.workingDir()).isEqualTo(dir.resolve("pod"));
  }

  @Test
  void process_seesOnlyThePodsEnvironment() throws Exception {
    Container container = container(c -> c.withCommand("/usr/bin/env").withEnv(env("OP", "rec")));
    ContainerCommand command = command(container);
    Path log = dir.resolve("env.log");

    Process process = command.processBuilder(log).start();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Map<String, String> seen =
        Files.readAllLines(log).stream()
            .map(line -> line.split("=", 2))
            .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    assertThat(seen).isEqualTo(command.env());
  }

  @Test
  void process_runsInTheWorkingDirectory_appendingToTheLog() throws Exception {
    ContainerCommand command = command(container(c -> c.withCommand("pwd")));
    Path log = Files.writeString(dir.resolve("pwd.log"), "earlier\n");

    Process process = command.processBuilder(log).start();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(log))
        .containsExactly("earlier", dir.resolve("pod").toRealPath().toString());
  }

  private ContainerCommand command(Container container) {
    return command(pod(), container, RUNTIME, files());
  }

  private ContainerCommand command(Pod pod, Container container, LocalImage image, PodFiles files) {
    return ContainerCommand.of(pod, container, image, files, hostsFile());
  }

  private Path hostsFile() {
    return dir.resolve("node/hosts");
  }

  private PodFiles files() {
    return PodFiles.create(dir.resolve("pod"), pod().getSpec(), name -> null);
  }

  private static Pod pod() {
    return pod(p -> p);
  }

  private static Pod pod(UnaryOperator<PodBuilder> customize) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("ocr-rec-7f9c2-xk4pz")
            .withNamespace("ocr")
            .withUid("6f1c1d2e-0000-4000-8000-000000000001")
            .endMetadata()
            .withNewSpec()
            .withNodeName("e2e-node")
            .withServiceAccountName("pipeserve")
            .endSpec()
            .withNewStatus()
            .withPodIP("127.10.0.7")
            .withHostIP("127.0.0.1")
            .endStatus();
    return customize.apply(pod).build();
  }

  private static UnaryOperator<PodBuilder> withEmptyDir(String volume) {
    return p ->
        p.editSpec()
            .withVolumes(
                new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build())
            .endSpec();
  }

  private static PodSpec podSpec(Pod pod, Container container) {
    return new PodSpecBuilder(pod.getSpec()).withContainers(container).build();
  }

  private static Container container(UnaryOperator<ContainerBuilder> customize) {
    return customize
        .apply(new ContainerBuilder().withName("runtime").withImage("pipeserve/runtime"))
        .build();
  }

  private static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
