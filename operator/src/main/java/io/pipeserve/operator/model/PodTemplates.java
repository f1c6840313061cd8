package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.operator.resource.ModelServer;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod template of runtime pods: the {@code pipeserve serve} container with its health probes
 * and draining, locked down (non-root, read-only root filesystem, no capabilities), with writable
 * emptyDirs where the runtime writes (its working directory for {@code PipelineServingLogs/} and
 * trace files, {@code /tmp} where ONNX Runtime and OpenCV unpack their native libraries), the
 * config file, the models, and the model-server sidecars of the ops it runs.
 */
public final class PodTemplates {
  public static final String RUNTIME = "runtime";
  public static final String FETCH_MODELS = "fetch-models";
  public static final String HTTP = "http";
  public static final String GRPC = "grpc";
  public static final String ADMIN = "admin";
  public static final String READY_PATH = "/v2/health/ready";
  public static final String LIVE_PATH = "/v2/health/live";
  public static final String WORK_DIR = "/var/lib/pipeserve";

  /** The uid the runtime image's user has; any non-root uid works. */
  public static final long RUN_AS = 10001;

  private static final String CONFIG_VOLUME = "config";
  private static final String MODELS_VOLUME = "models";
  private static final String WORK_VOLUME = "work";
  static final String TMP_VOLUME = "tmp";

  private PodTemplates() {}

  /**
   * @param configHash the config's hash without its live trace settings: a new value rolls the pods
   */
  public static PodTemplateSpec of(
      String pipeline,
      PipelineResourceSpec spec,
      ServerSpec server,
      PodGroup group,
      Map<String, String> selector,
      String configHash) {
    List<Container> initContainers = new ArrayList<>();
    ModelVolumes models = new ModelVolumes(spec.models());
    models.fetcher(securityContext()).ifPresent(initContainers::add);
    group
        .modelServers()
        .forEach((op, modelServer) -> initContainers.add(sidecar(op, modelServer, group, models)));
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(Names.withSelector(pipeline, selector))
        .withAnnotations(Map.of(Names.CONFIG_HASH_ANNOTATION, configHash))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withImagePullSecrets(spec.imagePullSecrets())
        .withSecurityContext(podSecurityContext())
        .withTerminationGracePeriodSeconds(Draining.TERMINATION_GRACE_SECONDS)
        .withNodeSelector(group.nodeSelector().isEmpty() ? null : group.nodeSelector())
        .withTolerations(group.tolerations())
        .withAffinity(group.affinity())
        .withInitContainers(initContainers)
        .withContainers(runtime(spec, server, group, models))
        .withVolumes(volumes(pipeline, models))
        .endSpec()
        .build();
  }

  private static Container runtime(
      PipelineResourceSpec spec, ServerSpec server, PodGroup group, ModelVolumes models) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                RuntimeConfig.path(),
                "--grace",
                Integer.toString(Draining.RUNTIME_GRACE_SECONDS)));
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(port(HTTP, server.httpPort()));
    ports.add(port(GRPC, server.grpcPort()));
    if (group.isGateway()) {
      ports.add(port(ADMIN, server.effectiveAdminPort()));
    } else {
      args.addAll(List.of("--op", group.op()));
    }
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName(CONFIG_VOLUME)
            .withMountPath(RuntimeConfig.path())
            .withSubPath(Names.CONFIG_FILE)
            .withReadOnly(true)
            .build());
    models.mount(true).ifPresent(mounts::add);
    mounts.add(mount(WORK_VOLUME, WORK_DIR));
    mounts.add(mount(TMP_VOLUME, "/tmp"));
    return new ContainerBuilder()
        .withName(RUNTIME)
        .withImage(spec.image())
        .withImagePullPolicy(spec.imagePullPolicy())
        .withArgs(args)
        .withWorkingDir(WORK_DIR)
        .withEnv(environment())
        .withPorts(ports)
        .withResources(withGpus(group.resources(), group.gpus()))
        .withStartupProbe(probe(LIVE_PATH, 5, 120))
        .withReadinessProbe(probe(READY_PATH, 5, 2))
        .withLivenessProbe(probe(LIVE_PATH, 10, 3))
        .withNewLifecycle()
        .withNewPreStop()
        .withNewExec()
        .withCommand("sleep", Integer.toString(Draining.PRE_STOP_SECONDS))
        .endExec()
        .endPreStop()
        .endLifecycle()
        .withVolumeMounts(mounts)
        .withSecurityContext(securityContext())
        .build();
  }

  /**
   * A model server as a native sidecar (an init container that keeps running): ready before the
   * runtime starts, stopped after it has drained.
   */
  private static Container sidecar(
      String op, ModelServer server, PodGroup group, ModelVolumes models) {
    String name =
        group.modelServers().size() == 1 ? "model-server" : "model-server-" + Names.dnsLabel(op);
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(new ContainerPortBuilder().withContainerPort(server.grpcPort()).build());
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(
                name.length() > Names.MAX_DNS_LABEL ? name.substring(0, Names.MAX_DNS_LABEL) : name)
            .withImage(server.image())
            .withRestartPolicy("Always")
            .withCommand(server.command())
            .withArgs(server.args())
            .withEnv(server.env())
            .withResources(server.resources())
            .withVolumeMounts(mount(TMP_VOLUME, "/tmp"))
            .withSecurityContext(
                new SecurityContextBuilder()
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .endCapabilities()
                    .build());
    models.mount(true).ifPresent(container::addToVolumeMounts);
    if (server.httpPort() != null) {
      ports.add(new ContainerPortBuilder().withContainerPort(server.httpPort()).build());
      Probe ready =
          new ProbeBuilder()
              .withNewHttpGet()
              .withPath(READY_PATH)
              .withNewPort(server.httpPort())
              .endHttpGet()
              .withPeriodSeconds(5)
              .withFailureThreshold(120)
              .build();
      container.withStartupProbe(ready);
    }
    return container.withPorts(ports).build();
  }

  private static List<EnvVar> environment() {
    return List.of(
        new EnvVarBuilder()
            .withName("POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build(),
        new EnvVarBuilder()
            .withName("POD_NAMESPACE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.namespace")
            .endFieldRef()
            .endValueFrom()
            .build(),
        // Spans and traces name the pod they come from.
        new EnvVarBuilder()
            .withName("OTEL_RESOURCE_ATTRIBUTES")
            .withValue(
                "k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),"
                    + "service.instance.id=$(POD_NAME)")
            .build());
  }

  /** {@code resources} with {@code gpus} GPUs in its limits, unless it names them itself. */
  static ResourceRequirements withGpus(ResourceRequirements resources, int gpus) {
    ResourceRequirements base = resources == null ? new ResourceRequirements() : resources;
    if (gpus == 0 || Gpus.of(base) > 0) {
      return base;
    }
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (base.getLimits() != null) {
      limits.putAll(base.getLimits());
    }
    limits.put(Gpus.RESOURCE, new Quantity(Integer.toString(gpus)));
    return new ResourceRequirementsBuilder(base).withLimits(limits).build();
  }

  private static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort(HTTP)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  static SecurityContext securityContext() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  private static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withFsGroup(RUN_AS)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static List<Volume> volumes(String pipeline, ModelVolumes models) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(CONFIG_VOLUME)
            .withNewConfigMap()
            .withName(Names.configMap(pipeline))
            .endConfigMap()
            .build());
    models.volume().ifPresent(volumes::add);
    volumes.add(emptyDir(WORK_VOLUME));
    volumes.add(emptyDir(TMP_VOLUME));
    return volumes;
  }

  static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
  }

  static String modelsVolume() {
    return MODELS_VOLUME;
  }
}
