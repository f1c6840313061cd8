package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.pipeserve.api.ServerSpec;
import java.util.List;

/**
 * The Service of a {@link PodGroup}. The gateway's is a ClusterIP Service on the HTTP and gRPC
 * ports (never the admin port: changing trace settings is for the operator). An op's is headless:
 * its DNS name resolves to every ready pod of the op, and the gateways balance over them
 * themselves, per request, rather than per connection as a ClusterIP would.
 */
public final class RuntimeServices {
  private RuntimeServices() {}

  public static Service of(String pipeline, String namespace, ServerSpec server, PodGroup group) {
    List<ServicePort> ports =
        group.isGateway()
            ? List.of(
                port(PodTemplates.HTTP, server.httpPort(), "http"),
                port(PodTemplates.GRPC, server.grpcPort(), "kubernetes.io/h2c"))
            : List.of(port(PodTemplates.GRPC, server.grpcPort(), "kubernetes.io/h2c"));
    var selector = RuntimeDeployments.selector(pipeline, group);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(group.name())
        .withNamespace(namespace)
        .withLabels(Names.withSelector(pipeline, selector))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP(group.isGateway() ? null : "None")
        .withSelector(selector)
        .withPorts(ports)
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int port, String appProtocol) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(name))
        .withProtocol("TCP")
        .withAppProtocol(appProtocol)
        .build();
  }
}
