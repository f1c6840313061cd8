package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.pipeserve.api.DeviceSpec;
import io.pipeserve.api.OpSpec;
import io.pipeserve.operator.resource.GatewayPlacement;
import io.pipeserve.operator.resource.ModelServer;
import io.pipeserve.operator.resource.OpPlacement;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Which pods run which ops, and on which devices: the gateway pods run every op without replicas of
 * its own; each op with replicas gets pods of its own.
 *
 * <p>A GPU op ({@code device.type} cuda or tensorrt, or an op whose own pods are given GPUs) gets
 * {@code nvidia.com/gpu} in its pods' limits: the count its placement names, else enough for the
 * device ids it lists (one when it lists none). Inside a container the GPUs it was given are
 * numbered from 0, so an op that lists no ids gets all of them ({@code 0..n-1}), and its workers
 * spread over them by Paddle's rule.
 *
 * @param gateway the gateway pods
 * @param ops the pods of each op that has its own, in spec order
 * @param devices every op's device as the runtime in the pods sees it, by op name
 */
public record Topology(PodGroup gateway, List<PodGroup> ops, Map<String, DeviceSpec> devices) {

  /** Lets GPU pods onto nodes tainted for GPU work, as the NVIDIA device plugin's nodes are. */
  public static final Toleration GPU_TOLERATION =
      new TolerationBuilder()
          .withKey(Gpus.RESOURCE)
          .withOperator("Exists")
          .withEffect("NoSchedule")
          .build();

  public static Topology plan(String pipeline, PipelineResourceSpec spec) {
    Map<String, DeviceSpec> devices = new LinkedHashMap<>();
    List<PodGroup> ops = new ArrayList<>();
    int gatewayNeed = 0;
    Map<String, ModelServer> gatewayServers = new LinkedHashMap<>();
    List<OpSpec> inGatewayGpuOps = new ArrayList<>();
    for (OpSpec op : spec.ops()) {
      OpPlacement placement = spec.placementOf(op.name());
      if (!placement.dedicated()) {
        devices.put(op.name(), op.device());
        if (isGpu(op.device())) {
          inGatewayGpuOps.add(op);
          gatewayNeed = Math.max(gatewayNeed, need(op.device()));
        }
        if (placement.modelServer() != null) {
          gatewayServers.put(op.name(), placement.modelServer());
        }
        continue;
      }
      int given = gpusOrZero(placement);
      boolean gpu = isGpu(op.device()) || given > 0;
      int gpus = given > 0 ? given : gpu ? need(op.device()) : 0;
      devices.put(op.name(), gpu ? onGpus(op.device(), gpus) : op.device());
      ops.add(
          new PodGroup(
              Names.op(pipeline, op.name()),
              op.name(),
              placement.replicas(),
              gpus,
              placement.resources(),
              placement.nodeSelector(),
              placement.tolerations(),
              placement.affinity(),
              placement.modelServer() == null
                  ? Map.of()
                  : Map.of(op.name(), placement.modelServer())));
    }
    GatewayPlacement g = spec.gateway();
    int given = gpusOrZero(g);
    int gatewayGpus = given > 0 ? given : gatewayNeed;
    for (OpSpec op : inGatewayGpuOps) {
      devices.put(op.name(), onGpus(op.device(), gatewayGpus));
    }
    PodGroup gateway =
        new PodGroup(
            Names.gateway(pipeline),
            null,
            g.replicas(),
            gatewayGpus,
            g.resources(),
            g.nodeSelector(),
            g.tolerations(),
            g.affinity(),
            gatewayServers);
    return new Topology(
        withGpuToleration(gateway),
        ops.stream().map(Topology::withGpuToleration).toList(),
        devices);
  }

  /** The gateway's pods, then each op's. */
  public List<PodGroup> groups() {
    List<PodGroup> all = new ArrayList<>();
    all.add(gateway);
    all.addAll(ops);
    return all;
  }

  /** The pods running {@code op}: its own, or the gateway's. */
  public PodGroup groupOf(String op) {
    return ops.stream().filter(g -> g.op().equals(op)).findFirst().orElse(gateway);
  }

  static boolean isGpu(DeviceSpec device) {
    return !device.type().equals("cpu");
  }

  /** GPUs the device's ids need: one past the highest, at least one. */
  private static int need(DeviceSpec device) {
    return ids(device.ids()).stream().mapToInt(i -> i + 1).max().orElse(1);
  }

  /** The device on {@code gpus} GPUs: cuda unless it names its GPU type, all of them by default. */
  private static DeviceSpec onGpus(DeviceSpec device, int gpus) {
    String type = isGpu(device) ? device.type() : "cuda";
    String ids =
        device.ids().isBlank()
            ? IntStream.range(0, gpus).mapToObj(Integer::toString).collect(Collectors.joining(","))
            : device.ids();
    return new DeviceSpec(type, ids, device.precision(), device.threads());
  }

  /**
   * The ids of a device, skipping what is not a number: the spec's validation reports those, and
   * planning must not fail before it can.
   */
  static List<Integer> ids(String ids) {
    List<Integer> list = new ArrayList<>();
    for (String id : ids.split(",")) {
      try {
        list.add(Integer.parseInt(id.trim()));
      } catch (NumberFormatException e) {
        // Reported by the spec's validation.
      }
    }
    return list;
  }

  private static int gpusOrZero(OpPlacement placement) {
    try {
      return Gpus.of(placement.resources());
    } catch (IllegalArgumentException e) {
      return 0; // Reported by the validation.
    }
  }

  private static int gpusOrZero(GatewayPlacement placement) {
    try {
      return Gpus.of(placement.resources());
    } catch (IllegalArgumentException e) {
      return 0; // Reported by the validation.
    }
  }

  /** {@code group}, tolerating GPU nodes when it uses GPUs and names no such toleration itself. */
  private static PodGroup withGpuToleration(PodGroup group) {
    if (!group.usesGpus()
        || group.tolerations().stream().anyMatch(t -> Gpus.RESOURCE.equals(t.getKey()))) {
      return group;
    }
    List<Toleration> all = new ArrayList<>(group.tolerations());
    all.add(GPU_TOLERATION);
    return new PodGroup(
        group.name(),
        group.op(),
        group.replicas(),
        group.gpus(),
        group.resources(),
        group.nodeSelector(),
        List.copyOf(all),
        group.affinity(),
        group.modelServers());
  }
}
