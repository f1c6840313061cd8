package io.pipeserve.e2e.agent;

import static io.pipeserve.e2e.agent.TestObjects.REC;
import static io.pipeserve.e2e.agent.TestObjects.pod;
import static io.pipeserve.e2e.agent.TestObjects.port;
import static io.pipeserve.e2e.agent.TestObjects.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pipeserve.e2e.agent.EndpointSlices.Member;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The EndpointSlice the node writes for a Service, and the addresses it gives the proxies. */
class EndpointSlicesTest {
  private static final Service REC_SERVICE =
      service("ocr", "ocr-rec", "None", REC, port("grpc", 18091, new IntOrString("grpc")));

  @Test
  void service_selectsAPodWithEveryLabelOfItsSelector_amongOthers() {
    Pod pod = pod("ocr", "rec-1", "127.10.0.1", Map.of("app", "ocr", "op", "rec", "x", "y"));

    assertThat(EndpointSlices.selects(REC_SERVICE, pod)).isTrue();
  }

  @Test
  void service_doesNotSelectAPodMissingALabelOfItsSelector() {
    Pod pod = pod("ocr", "gateway-1", "127.10.0.1", Map.of("app", "ocr", "op", "gateway"));

    assertThat(EndpointSlices.selects(REC_SERVICE, pod)).isFalse();
  }

  @Test
  void service_doesNotSelectAPodOfAnotherNamespace() {
    Pod pod = pod("other", "rec-1", "127.10.0.1", REC);

    assertThat(EndpointSlices.selects(REC_SERVICE, pod)).isFalse();
  }

  @Test
  void serviceWithoutASelector_selectsNoPod() {
    Service external = service("ocr", "external", "None", Map.of());

    assertThat(EndpointSlices.selects(external, pod("ocr", "rec-1", "127.10.0.1", REC))).isFalse();
  }

  @Test
  void slice_listsTheSelectedPodsByName_withTheirAddressesAndPods() {
    EndpointSlice slice =
        EndpointSlices.of(
            REC_SERVICE,
            List.of(
                member("rec-2", "127.10.0.2", REC, true, false),
                member("gateway-1", "127.10.0.3", Map.of("op", "gateway"), true, false),
                member("rec-1", "127.10.0.1", REC, true, false)));

    assertThat(slice.getEndpoints())
        .extracting(
            e -> e.getAddresses().get(0),
            e -> e.getTargetRef().getName(),
            e -> e.getTargetRef().getUid(),
            e -> e.getNodeName())
        .containsExactly(
            tuple("127.10.0.1", "rec-1", "uid-rec-1", NodeAgent.NODE_NAME),
            tuple("127.10.0.2", "rec-2", "uid-rec-2", NodeAgent.NODE_NAME));
  }

  @ParameterizedTest(name = "pod ready={0} terminating={1}: ready={2} serving={3} terminating={4}")
  @CsvSource({
    "true, false, true, true, false",
    "false, false, false, false, false",
    "true, true, false, true, true",
    "false, true, false, false, true"
  })
  void endpointConditions_followThePodsReadinessAndTermination(
      boolean podReady,
      boolean podTerminating,
      boolean ready,
      boolean serving,
      boolean terminating) {
    EndpointSlice slice =
        EndpointSlices.of(
            REC_SERVICE, List.of(member("rec-1", "127.10.0.1", REC, podReady, podTerminating)));

    EndpointConditions conditions = slice.getEndpoints().get(0).getConditions();
    assertThat(conditions.getReady()).isEqualTo(ready);
    assertThat(conditions.getServing()).isEqualTo(serving);
    assertThat(conditions.getTerminating()).isEqualTo(terminating);
  }

  @Test
  void namedTargetPort_isTheNumberOfThePodsContainerPortOfThatName() {
    EndpointSlice slice =
        EndpointSlices.of(REC_SERVICE, List.of(member("rec-1", "127.10.0.1", REC, true, false)));

    assertThat(slice.getPorts())
        .extracting(p -> p.getName(), p -> p.getPort(), p -> p.getProtocol())
        .containsExactly(tuple("grpc", 18091, "TCP"));
  }

  @Test
  void numberedTargetPort_isThatNumber() {
    Service gateway = service("ocr", "ocr", "", REC, port("http", 80, new IntOrString(9999)));

    EndpointSlice slice = EndpointSlices.of(gateway, List.of());

    assertThat(slice.getPorts()).extracting(p -> p.getPort()).containsExactly(9999);
  }

  @Test
  void noTargetPort_isTheServicePort() {
    Service gateway = service("ocr", "ocr", "", REC, port("grpc", 18091, null));

    EndpointSlice slice = EndpointSlices.of(gateway, List.of());

    assertThat(slice.getPorts()).extracting(p -> p.getPort()).containsExactly(18091);
  }

  @Test
  void slice_isOwnedByItsService_andLabelledForIt() {
    EndpointSlice slice = EndpointSlices.of(REC_SERVICE, List.of());

    OwnerReference owner = slice.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("Service");
    assertThat(owner.getApiVersion()).isEqualTo("v1");
    assertThat(owner.getName()).isEqualTo("ocr-rec");
    assertThat(owner.getUid()).isEqualTo("uid-ocr-rec");
    assertThat(owner.getController()).isTrue();
    assertThat(slice.getMetadata().getNamespace()).isEqualTo("ocr");
    assertThat(slice.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "ocr-rec")
        .containsEntry("endpointslice.kubernetes.io/managed-by", EndpointSlices.MANAGER);
  }

  @Test
  void ready_givesTheReadyEndpointsOnTheNamedPort() {
    EndpointSlice slice =
        EndpointSlices.of(
            REC_SERVICE,
            List.of(
                member("rec-1", "127.10.0.1", REC, true, false),
                member("rec-2", "127.10.0.2", REC, false, false),
                member("rec-3", "127.10.0.3", REC, true, true),
                member("rec-4", "127.10.0.4", REC, true, false)));

    assertThat(EndpointSlices.ready(slice, "grpc"))
        .containsExactly(
            new InetSocketAddress("127.10.0.1", 18091), new InetSocketAddress("127.10.0.4", 18091));
  }

  @Test
  void ready_ofAnUnnamedServicePort_isFoundWithoutAName() {
    Service service = service("ocr", "ocr-rec", "", REC, port(null, 18091, null));
    EndpointSlice slice =
        EndpointSlices.of(service, List.of(member("rec-1", "127.10.0.1", REC, true, false)));

    assertThat(EndpointSlices.ready(slice, null))
        .containsExactly(new InetSocketAddress("127.10.0.1", 18091));
  }

  @Test
  void ready_isEmpty_forAPortTheServiceDoesNotHave() {
    EndpointSlice slice =
        EndpointSlices.of(REC_SERVICE, List.of(member("rec-1", "127.10.0.1", REC, true, false)));

    assertThat(EndpointSlices.ready(slice, "http")).isEmpty();
  }

  @Test
  void ready_isEmpty_whileANamedTargetPortHasNoPodToResolveIt() {
    EndpointSlice slice = EndpointSlices.of(REC_SERVICE, List.of());

    assertThat(EndpointSlices.ready(slice, "grpc")).isEmpty();
  }

  private static Member member(
      String name, String ip, Map<String, String> labels, boolean ready, boolean terminating) {
    return new Member(pod("ocr", name, ip, labels), ready, terminating);
  }
}
