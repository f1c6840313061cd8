package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;

/** Pods and Services as the operator and the node agent write them, for the agent's tests. */
final class TestObjects {
  static final Map<String, String> REC = Map.of("app", "ocr", "op", "rec");

  private TestObjects() {}

  static Pod pod(String namespace, String name, String ip, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withUid("uid-" + name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName(NodeAgent.NODE_NAME)
        .addNewContainer()
        .withName("runtime")
        .withPorts(containerPort("grpc", 18091), containerPort("admin", 8002))
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPodIP(ip)
        .endStatus()
        .build();
  }

  /** A Service selecting {@code selector}; {@code clusterIp} "None" makes it headless. */
  static Service service(
      String namespace,
      String name,
      String clusterIp,
      Map<String, String> selector,
      ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withUid("uid-" + name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(clusterIp)
        .withSelector(selector)
        .withPorts(ports)
        .endSpec()
        .build();
  }

  static ServicePort port(String name, int port, IntOrString targetPort) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(targetPort)
        .build();
  }

  private static ContainerPort containerPort(String name, int port) {
    return new ContainerPortBuilder().withName(name).withContainerPort(port).build();
  }
}
