package io.pipeserve.e2e.agent;

import static io.pipeserve.e2e.agent.TestObjects.REC;
import static io.pipeserve.e2e.agent.TestObjects.pod;
import static io.pipeserve.e2e.agent.TestObjects.port;
import static io.pipeserve.e2e.agent.TestObjects.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pipeserve.e2e.agent.EndpointSlices.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's DNS names as the node's hosts file, and a JVM resolving them. */
class ClusterDnsTest {
  private static final String REC_NAMES =
      "ocr-rec.ocr.svc.cluster.local ocr-rec.ocr.svc ocr-rec.ocr";
  private static final Service HEADLESS =
      service("ocr", "ocr-rec", "None", REC, port("grpc", 18091, new IntOrString("grpc")));

  @TempDir Path dir;

  @Test
  void headlessService_hasALinePerReadyPod_withTheServicesThreeNames() {
    String hosts =
        headlessHosts(
            HEADLESS,
            new Member(pod("ocr", "rec-1", "127.10.0.1", REC), true, false),
            new Member(pod("ocr", "rec-2", "127.10.0.2", REC), true, false));

    assertThat(serviceLines(hosts))
        .containsExactly("127.10.0.1 " + REC_NAMES, "127.10.0.2 " + REC_NAMES);
  }

  @Test
  void headlessService_leavesOutPodsNotReady() {
    String hosts =
        headlessHosts(
            HEADLESS,
            new Member(pod("ocr", "rec-1", "127.10.0.1", REC), false, false),
            new Member(pod("ocr", "rec-2", "127.10.0.2", REC), true, false),
            new Member(pod("ocr", "rec-3", "127.10.0.3", REC), true, true));

    assertThat(serviceLines(hosts)).containsExactly("127.10.0.2 " + REC_NAMES);
  }

  @Test
  void headlessServicePublishingNotReadyAddresses_hasALinePerPod() {
    Service service =
        new ServiceBuilder(HEADLESS)
            .editSpec()
            .withPublishNotReadyAddresses(true)
            .endSpec()
            .build();

    String hosts =
        headlessHosts(
            service,
            new Member(pod("ocr", "rec-1", "127.10.0.1", REC), false, false),
            new Member(pod("ocr", "rec-2", "127.10.0.2", REC), true, false));

    assertThat(serviceLines(hosts))
        .containsExactly("127.10.0.1 " + REC_NAMES, "127.10.0.2 " + REC_NAMES);
  }

  @Test
  void headlessServiceWithoutASlice_hasNoLine() {
    String hosts = ClusterDns.hosts(List.of(HEADLESS), Map.of(), Map.of());

    assertThat(serviceLines(hosts)).isEmpty();
  }

  @Test
  void clusterIpService_resolvesToItsClusterIp_notToItsPods() {
    Service gateway = service("ocr", "ocr", "", REC, port("http", 9999, null));
    EndpointSlice slice =
        EndpointSlices.of(
            gateway, List.of(new Member(pod("ocr", "gw-1", "127.10.0.1", REC), true, false)));

    String hosts =
        ClusterDns.hosts(
            List.of(gateway), Map.of("ocr/ocr", "127.20.0.1"), Map.of("ocr/ocr", slice));

    assertThat(serviceLines(hosts))
        .containsExactly("127.20.0.1 ocr.ocr.svc.cluster.local ocr.ocr.svc ocr.ocr");
  }

  @Test
  void clusterIpServiceNotGivenAnIpYet_hasNoLine() {
    Service gateway = service("ocr", "ocr", "", REC, port("http", 9999, null));

    String hosts = ClusterDns.hosts(List.of(gateway), Map.of(), Map.of());

    assertThat(serviceLines(hosts)).isEmpty();
  }

  @Test
  void hosts_keepLocalhost() {
    String hosts = ClusterDns.hosts(List.of(), Map.of(), Map.of());

    assertThat(hosts.lines()).anyMatch(line -> line.startsWith("127.0.0.1 localhost"));
  }

  @Test
  void jvm_resolvesAHeadlessServiceToBothOfItsReadyPods() throws Exception {
    Path hostsFile =
        Files.writeString(
            dir.resolve("hosts"),
            headlessHosts(
                HEADLESS,
                new Member(pod("ocr", "rec-1", "127.10.0.1", REC), true, false),
                new Member(pod("ocr", "rec-2", "127.10.0.2", REC), true, false)));
    Path lookup =
        Files.writeString(
            dir.resolve("Lookup.java"),
            """
            import java.net.InetAddress;

            class Lookup {
              public static void main(String[] args) throws Exception {
                for (InetAddress address : InetAddress.getAllByName(args[0])) {
                  System.out.println(address.getHostAddress());
                }
              }
            }
            """);
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hostsFile,
                lookup.toString(),
                "ocr-rec.ocr.svc")
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    builder.environment().remove("JAVA_TOOL_OPTIONS");

    Process java = builder.start();

    assertThat(java.waitFor(120, TimeUnit.SECONDS)).as("java exited").isTrue();
    assertThat(java.exitValue()).as(Files.readString(dir.resolve("err"))).isZero();
    assertThat(Files.readAllLines(dir.resolve("out")))
        .containsExactlyInAnyOrder("127.10.0.1", "127.10.0.2");
  }

  private static String headlessHosts(Service service, Member... members) {
    EndpointSlice slice = EndpointSlices.of(service, List.of(members));
    return ClusterDns.hosts(List.of(service), Map.of(), Map.of("ocr/ocr-rec", slice));
  }

  /** The lines for Services: all but the comment and localhost's. */
  private static List<String> serviceLines(String hosts) {
    return hosts
        .lines()
        .filter(line -> !line.startsWith("#") && !line.contains("localhost"))
        .toList();
  }
}
