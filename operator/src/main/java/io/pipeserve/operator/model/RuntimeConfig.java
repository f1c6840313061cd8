package io.pipeserve.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pipeserve.api.DeviceSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.operator.resource.ModelServer;
import io.pipeserve.operator.resource.OpPlacement;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The pipeline file the runtime pods read ({@code /etc/pipeserve/pipeline.yaml}): the spec as the
 * user wrote it, with what only the cluster knows filled in: a separate admin port (which the
 * network policy keeps to the operator), each GPU op's device as its pods see it, the endpoints of
 * ops with pods of their own, and a model-server sidecar on localhost for a remote op that names no
 * server.
 *
 * <p>The changes are made to the spec's document tree, then read back through {@link SpecLoader}:
 * fields the records gain later pass through untouched, and the file is written exactly as the
 * runtime reads it.
 *
 * @param spec the config, as records
 * @param yaml the config file
 * @param configHash hash of the config without the trace settings that change on live pods: pods
 *     are rolled when it changes
 */
public record RuntimeConfig(PipelineSpec spec, String yaml, String configHash) {
  /** The admin port given when the spec names none: apart from HTTP, so a policy can guard it. */
  public static final int DEFAULT_ADMIN_PORT = 8002;

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  public static RuntimeConfig render(
      String pipeline, String namespace, PipelineResourceSpec resource, Topology topology) {
    ObjectNode tree = tree(resource.pipeline());
    ObjectNode server = object(tree, "server");
    int grpc = server.path("grpcPort").asInt();
    if (!server.hasNonNull("adminPort")) {
      server.put("adminPort", adminPort(resource.pipeline().server()));
    }
    ArrayNode ops = (ArrayNode) tree.path("ops");
    for (JsonNode node : ops) {
      ObjectNode op = (ObjectNode) node;
      String name = op.path("name").asText();
      device(op, topology.devices().get(name));
      OpPlacement placement = resource.placementOf(name);
      if (placement.dedicated()) {
        OpEndpoints.render(op, OpEndpoints.dns(topology.groupOf(name).name(), namespace, grpc));
      }
      if (placement.modelServer() != null) {
        modelServerOnLocalhost(op, placement.modelServer());
      }
    }
    PipelineSpec spec = read(tree);
    String yaml = SpecLoader.toYaml(spec);
    return new RuntimeConfig(spec, yaml, sha256(SpecLoader.toYaml(read(withoutLiveTrace(tree)))));
  }

  /** The file's name in the ConfigMap and in the pods. */
  public static String path() {
    return Names.CONFIG_DIR + "/" + Names.CONFIG_FILE;
  }

  /** The admin port of the pods: the spec's, else the first free one from the default. */
  public static int adminPort(ServerSpec server) {
    if (server.adminPort() != null) {
      return server.adminPort();
    }
    int port = DEFAULT_ADMIN_PORT;
    while (port == server.httpPort() || port == server.grpcPort()) {
      port++;
    }
    return port;
  }

  private static void device(ObjectNode op, DeviceSpec device) {
    if (device == null) {
      return;
    }
    ObjectNode node = object(op, "device");
    node.put("type", device.type());
    if (!device.ids().isBlank()) {
      node.put("ids", device.ids());
    }
  }

  /**
   * A remote op whose spec names no server calls the model server next to it. Other kinds keep
   * their spec: a java op may reach the server on its own.
   */
  private static void modelServerOnLocalhost(ObjectNode op, ModelServer server) {
    if (!op.path("kind").asText().equals("remote")) {
      return;
    }
    ObjectNode remote = object(op, "remote");
    JsonNode endpoints = remote.path("endpoints");
    if (endpoints.isArray() && !endpoints.isEmpty()) {
      return;
    }
    remote.putArray("endpoints").add("localhost:" + server.grpcPort());
  }

  /**
   * The config without the settings the operator changes on running pods through the trace protocol
   * (levels, rate, count, log frequency, the exporter's url and resource). The trace mode, file and
   * exporter batching are fixed at start-up, so they stay: a change to them rolls pods.
   */
  private static ObjectNode withoutLiveTrace(ObjectNode tree) {
    ObjectNode copy = tree.deepCopy();
    if (copy.get("trace") instanceof ObjectNode trace) {
      trace.remove(List.of("level", "rate", "count", "logFrequency"));
      if (trace.get("opentelemetry") instanceof ObjectNode otel) {
        otel.remove(List.of("url", "resource"));
      }
    }
    for (JsonNode op : copy.path("ops")) {
      ((ObjectNode) op).remove("trace");
    }
    return copy;
  }

  private static ObjectNode tree(PipelineSpec spec) {
    try {
      return (ObjectNode) YAML.readTree(SpecLoader.toYaml(spec));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("SpecLoader wrote YAML it cannot read back", e);
    }
  }

  private static PipelineSpec read(ObjectNode tree) {
    try {
      return SpecLoader.fromJson(JSON.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode node ? node : parent.putObject(field);
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
