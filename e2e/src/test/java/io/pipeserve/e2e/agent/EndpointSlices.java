package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the EndpointSlice controller writes for a Service: one slice listing the pods its selector
 * matches, each with its address and whether it is ready, serving or terminating, and the ports the
 * Service's target ports name in those pods.
 */
final class EndpointSlices {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  static final String MANAGER = "node-agent.e2e.pipeserve.io";

  private EndpointSlices() {}

  /** A pod on the node and whether it is ready and terminating. */
  record Member(Pod pod, boolean ready, boolean terminating) {}

  /** Whether {@code service} selects {@code pod}. */
  static boolean selects(Service service, Pod pod) {
    Map<String, String> selector = service.getSpec().getSelector();
    Map<String, String> labels = pod.getMetadata().getLabels();
    return selector != null
        && !selector.isEmpty()
        && labels != null
        && pod.getMetadata().getNamespace().equals(service.getMetadata().getNamespace())
        && labels.entrySet().containsAll(selector.entrySet());
  }

  static EndpointSlice of(Service service, List<Member> pods) {
    List<Member> members =
        pods.stream()
            .filter(m -> selects(service, m.pod()))
            .sorted(Comparator.comparing(m -> m.pod().getMetadata().getName()))
            .toList();
    List<Endpoint> endpoints = new ArrayList<>();
    for (Member m : members) {
      endpoints.add(
          new EndpointBuilder()
              .withAddresses(m.pod().getStatus().getPodIP())
              .withNewConditions()
              .withReady(m.ready() && !m.terminating())
              .withServing(m.ready())
              .withTerminating(m.terminating())
              .endConditions()
              .withNodeName(m.pod().getSpec().getNodeName())
              .withTargetRef(
                  new ObjectReferenceBuilder()
                      .withKind("Pod")
                      .withNamespace(m.pod().getMetadata().getNamespace())
                      .withName(m.pod().getMetadata().getName())
                      .withUid(m.pod().getMetadata().getUid())
                      .build())
              .build());
    }
    List<EndpointPort> ports = new ArrayList<>();
    for (ServicePort port : service.getSpec().getPorts()) {
      ports.add(
          new EndpointPortBuilder()
              .withName(port.getName() == null ? "" : port.getName())
              .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
              .withPort(
                  members.isEmpty()
                      ? targetPortNumber(port)
                      : targetPort(port, members.get(0).pod()))
              .build());
    }
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(service.getMetadata().getName() + "-node")
        .withNamespace(service.getMetadata().getNamespace())
        .withLabels(
            Map.of(SERVICE_NAME_LABEL, service.getMetadata().getName(), MANAGED_BY_LABEL, MANAGER))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Service")
                .withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(endpoints)
        .withPorts(ports)
        .build();
  }

  /** The ready addresses of {@code slice} for the Service port named {@code portName}. */
  static List<InetSocketAddress> ready(EndpointSlice slice, String portName) {
    Integer port =
        slice.getPorts().stream()
            .filter(p -> p.getName().equals(portName == null ? "" : portName))
            .map(EndpointPort::getPort)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (port == null) {
      return List.of();
    }
    return slice.getEndpoints().stream()
        .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
        .map(e -> new InetSocketAddress(e.getAddresses().get(0), port))
        .toList();
  }

  /**
   * The port a Service port's target names in {@code pod}: a number, or a container port's name.
   */
  static Integer targetPort(ServicePort port, Pod pod) {
    IntOrString target = port.getTargetPort();
    if (target == null || target.getIntVal() != null) {
      return targetPortNumber(port);
    }
    for (Container container : pod.getSpec().getContainers()) {
      for (var p : container.getPorts()) {
        if (target.getStrVal().equals(p.getName())) {
          return p.getContainerPort();
        }
      }
    }
    return null;
  }

  private static Integer targetPortNumber(ServicePort port) {
    IntOrString target = port.getTargetPort();
    if (target == null) {
      return port.getPort();
    }
    return target.getIntVal();
  }
}
