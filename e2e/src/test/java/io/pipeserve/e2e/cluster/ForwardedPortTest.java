package io.pipeserve.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.pipeserve.e2e.cluster.ForwardedPort.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a connection to a Service's forwarded port goes: where kube-proxy would send it. */
class ForwardedPortTest {
  private static final ServicePort GRPC =
      new ServicePortBuilder().withName("grpc").withPort(18091).build();

  @Test
  void aConnection_goesToAReadyEndpoint_onTheSlicePortOfTheSameName() {
    EndpointSlice slice =
        slice(
            List.of(port("http", 9999), port("grpc", 18091)),
            endpoint("ocr-abc-2", true),
            endpoint("ocr-abc-1", true));

    assertThat(ForwardedPort.readyEndpoints(GRPC, List.of(slice)))
        .containsExactly(new Target("ocr-abc-1", 18091), new Target("ocr-abc-2", 18091));
  }

  @Test
  void endpointsThatAreNotReady_getNoConnections_andNoConditionCountsAsReady() {
    Endpoint unknown = endpoint("ocr-abc-3", true);
    unknown.setConditions(null);
    EndpointSlice slice =
        slice(
            List.of(port("grpc", 18091)),
            endpoint("ocr-abc-1", false),
            endpoint("ocr-abc-2", true),
            unknown);

    assertThat(ForwardedPort.readyEndpoints(GRPC, List.of(slice)))
        .extracting(Target::pod)
        .containsExactly("ocr-abc-2", "ocr-abc-3");
  }

  @Test
  void theTargetPort_isTheSlicesResolvedNumber_notTheServicePort() {
    ServicePort named = new ServicePortBuilder().withName("http").withPort(80).build();
    EndpointSlice slice = slice(List.of(port("http", 9999)), endpoint("ocr-abc-1", true));

    assertThat(ForwardedPort.readyEndpoints(named, List.of(slice)))
        .containsExactly(new Target("ocr-abc-1", 9999));
  }

  @Test
  void anUnnamedServicePort_matchesTheSlicesUnnamedPort() {
    ServicePort unnamed = new ServicePortBuilder().withPort(80).build();
    EndpointSlice slice = slice(List.of(port(null, 8080)), endpoint("web-1", true));

    assertThat(ForwardedPort.readyEndpoints(unnamed, List.of(slice)))
        .containsExactly(new Target("web-1", 8080));
  }

  @Test
  void aServiceWithNoReadyEndpoint_hasNoTarget() {
    EndpointSlice rolling = slice(List.of(port("grpc", 18091)), endpoint("ocr-abc-1", false));
    EndpointSlice otherPortOnly = slice(List.of(port("http", 9999)), endpoint("ocr-abc-2", true));

    assertThat(ForwardedPort.readyEndpoints(GRPC, List.of(rolling, otherPortOnly))).isEmpty();
    assertThat(ForwardedPort.readyEndpoints(GRPC, List.of())).isEmpty();
  }

  private static EndpointSlice slice(List<EndpointPort> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("ocr-x1y2z")
        .withNamespace("ocr")
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }

  private static EndpointPort port(String name, int number) {
    return new EndpointPortBuilder().withName(name).withPort(number).withProtocol("TCP").build();
  }

  private static Endpoint endpoint(String pod, boolean ready) {
    return new EndpointBuilder()
        .withAddresses("10.244.0." + (pod.hashCode() & 0x7f))
        .withNewConditions()
        .withReady(ready)
        .endConditions()
        .withNewTargetRef()
        .withKind("Pod")
        .withNamespace("ocr")
        .withName(pod)
        .endTargetRef()
        .build();
  }
}
