package io.pipeserve.operator.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.Problem;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.operator.model.Gpus;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.model.PodGroup;
import io.pipeserve.operator.model.PodTemplates;
import io.pipeserve.operator.model.RuntimeConfig;
import io.pipeserve.operator.model.Topology;
import io.pipeserve.operator.resource.ModelServer;
import io.pipeserve.operator.resource.ModelSource;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a pipeline needs on Kubernetes beyond a valid spec: names that make valid object names,
 * fixed ports, an admin port of its own, placements that name ops, GPU counts that fit the device
 * ids, model-server ports that do not clash, and one model source.
 */
final class KubernetesRules {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private static final ObjectMapper YAML = new YAMLMapper();

  private final List<Problem> problems = new ArrayList<>();

  private KubernetesRules() {}

  static List<Problem> check(Pipeline pipeline) {
    KubernetesRules rules = new KubernetesRules();
    rules.checkAll(pipeline.getMetadata().getName(), pipeline.getSpec());
    return List.copyOf(rules.problems);
  }

  private void checkAll(String name, PipelineResourceSpec spec) {
    if (!isDnsLabel(name)) {
      add(
          "metadata.name",
          "'"
              + name
              + "' names the gateway's Service, so it must be a DNS label: at most 63 lower-case"
              + " letters, digits and '-', starting with a letter");
    }
    if (spec.image() == null || spec.image().isBlank()) {
      add("spec.image", "required: the runtime image, e.g. ghcr.io/pipeserve/runtime:0.1.0");
    }
    atLeastZero("spec.gateway.replicas", spec.gateway().replicas());
    ServerSpec server = spec.pipeline().server();
    checkPorts(server);
    Set<String> ops = new HashSet<>();
    for (OpSpec op : spec.ops()) {
      ops.add(op.name());
    }
    spec.placement()
        .forEach(
            (op, placement) -> {
              String at = "spec.placement." + op;
              if (!ops.contains(op)) {
                add(at, "names no op of spec.ops; the ops are " + String.join(", ", ops));
              }
              atLeastZero(at + ".replicas", placement.replicas());
            });
    checkOpNames(name, spec);
    checkGpus(name, spec);
    checkModelServers(name, spec, server);
    checkModels(spec.models());
  }

  private void checkPorts(ServerSpec server) {
    fixedPort("spec.server.httpPort", server.httpPort());
    fixedPort("spec.server.grpcPort", server.grpcPort());
    Integer admin = server.adminPort();
    if (admin != null && (admin == 0 || admin.equals(server.httpPort()))) {
      add(
          "spec.server.adminPort",
          "must be a port of its own on Kubernetes, so that only the operator reaches it; leave it"
              + " unset for "
              + RuntimeConfig.DEFAULT_ADMIN_PORT);
    }
  }

  private void fixedPort(String at, int port) {
    if (port == 0) {
      add(at, "must be a fixed port on Kubernetes (probes and Services name it), got 0");
    }
  }

  /**
   * Ops with pods of their own name a Deployment and a Service: NAME-OP, a DNS label. Their
   * endpoints are the operator's to write.
   */
  private void checkOpNames(String pipeline, PipelineResourceSpec spec) {
    Map<String, String> objects = new HashMap<>();
    JsonNode ops = tree(spec).path("ops");
    for (int i = 0; i < spec.ops().size(); i++) {
      OpSpec op = spec.ops().get(i);
      if (!spec.placementOf(op.name()).dedicated()) {
        continue;
      }
      if (ops.path(i).has("endpoints")) {
        add(
            "spec.ops[" + i + "].endpoints",
            "the operator sets the endpoints of an op with replicas (its pods' headless Service);"
                + " remove them, or remove spec.placement."
                + op.name()
                + ".replicas to use them");
      }
      String object = Names.op(pipeline, op.name());
      String at = "spec.placement." + op.name();
      if (!isDnsLabel(object)) {
        add(
            at,
            "the op's Deployment and Service would be named '"
                + object
                + "', which is not a DNS label (at most 63 lower-case letters, digits and '-');"
                + " shorten the pipeline or op name");
      }
      String other = objects.putIfAbsent(object, op.name());
      if (other != null) {
        add(at, "ops '" + other + "' and '" + op.name() + "' would both be named '" + object + "'");
      }
    }
  }

  private void checkGpus(String pipeline, PipelineResourceSpec spec) {
    gpuCount("spec.gateway.resources", spec.gateway().resources());
    spec.placement()
        .forEach((op, p) -> gpuCount("spec.placement." + op + ".resources", p.resources()));
    if (!problems.isEmpty()) {
      return;
    }
    Topology topology = Topology.plan(pipeline, spec);
    for (int i = 0; i < spec.ops().size(); i++) {
      OpSpec op = spec.ops().get(i);
      if (op.device().type().equals("cpu") || op.device().ids().isBlank()) {
        continue;
      }
      PodGroup pods = topology.groupOf(op.name());
      int highest = 0;
      for (String id : op.device().ids().split(",")) {
        try {
          highest = Math.max(highest, Integer.parseInt(id.trim()));
        } catch (NumberFormatException e) {
          // The spec's validation names it.
        }
      }
      if (highest >= pods.gpus()) {
        add(
            "spec.ops[" + i + "].device.ids",
            "names GPU "
                + highest
                + ", but the pods running '"
                + op.name()
                + "' get "
                + pods.gpus()
                + " GPU(s), numbered from 0 ("
                + (pods.isGateway()
                    ? "spec.gateway.resources"
                    : "spec.placement." + op.name() + ".resources")
                + ")");
      }
    }
  }

  private void checkModelServers(String pipeline, PipelineResourceSpec spec, ServerSpec server) {
    Topology topology = Topology.plan(pipeline, spec);
    Set<Integer> runtimePorts =
        new HashSet<>(
            List.of(server.httpPort(), server.grpcPort(), RuntimeConfig.adminPort(server)));
    for (PodGroup group : topology.groups()) {
      Map<Integer, String> taken = new HashMap<>();
      group
          .modelServers()
          .forEach(
              (op, ms) -> {
                String at = "spec.placement." + op + ".modelServer";
                gpuCount(at + ".resources", ms.resources());
                for (Integer port : ports(ms)) {
                  if (runtimePorts.contains(port)) {
                    add(
                        at,
                        "port "
                            + port
                            + " is also a port of the runtime in the same pod (server.httpPort,"
                            + " grpcPort or adminPort); give the model server another");
                  }
                  String other = taken.putIfAbsent(port, op);
                  if (other != null) {
                    add(
                        at,
                        "port "
                            + port
                            + " is also the port of the model server of '"
                            + other
                            + "'");
                  }
                }
              });
    }
  }

  private static List<Integer> ports(ModelServer server) {
    List<Integer> ports = new ArrayList<>();
    if (server.grpcPort() != null) {
      ports.add(server.grpcPort());
    }
    if (server.httpPort() != null && !server.httpPort().equals(server.grpcPort())) {
      ports.add(server.httpPort());
    }
    return ports;
  }

  private void checkModels(ModelSource models) {
    String at = "spec.models";
    if (models.pvc() != null && !models.http().isEmpty()) {
      add(at, "models come from one source: pvc or http, not both");
    }
    String mount = models.mountPath();
    if (!mount.startsWith("/") || mount.contains("..")) {
      add(at + ".mountPath", "must be an absolute path without '..', got '" + mount + "'");
    } else if (mount.equals(Names.CONFIG_DIR)
        || mount.equals("/")
        || mount.startsWith(PodTemplates.WORK_DIR)
        || mount.startsWith("/tmp")) {
      add(
          at + ".mountPath",
          "'"
              + mount
              + "' is taken by the runtime's own files; use a directory of its own, such as "
              + ModelSource.DEFAULT_MOUNT_PATH);
    }
    if (models.pvc() != null
        && (models.pvc().claimName() == null || models.pvc().claimName().isBlank())) {
      add(at + ".pvc.claimName", "required: the PersistentVolumeClaim holding the models");
    }
    for (int i = 0; i < models.http().size(); i++) {
      ModelSource.Download d = models.http().get(i);
      String item = at + ".http[" + i + "]";
      if (d.url() == null || !(d.url().startsWith("https://") || d.url().startsWith("http://"))) {
        add(item + ".url", "must be an http:// or https:// URL, got '" + d.url() + "'");
      }
      if (d.path() == null
          || d.path().isBlank()
          || d.path().startsWith("/")
          || List.of(d.path().split("/")).contains("..")) {
        add(item + ".path", "must be a file path relative to mountPath, without '..'");
      }
      if (d.sha256() != null && !d.sha256().matches("[0-9a-fA-F]{64}")) {
        add(item + ".sha256", "must be 64 hex digits, got '" + d.sha256() + "'");
      }
    }
  }

  /** The pipeline as a document: fields the records gain later are visible here too. */
  private static JsonNode tree(PipelineResourceSpec spec) {
    try {
      return YAML.readTree(SpecLoader.toYaml(spec.pipeline()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void gpuCount(String at, ResourceRequirements resources) {
    try {
      Gpus.of(resources);
    } catch (IllegalArgumentException e) {
      add(at, e.getMessage());
    }
  }

  private void atLeastZero(String at, Integer value) {
    if (value != null && value < 0) {
      add(at, "must be >= 0, got " + value);
    }
  }

  private static boolean isDnsLabel(String name) {
    return name != null
        && name.length() <= Names.MAX_DNS_LABEL
        && DNS_LABEL.matcher(name).matches();
  }

  private void add(String path, String message) {
    problems.add(new Problem(path, message));
  }
}
