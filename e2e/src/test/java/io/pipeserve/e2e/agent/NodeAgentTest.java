package io.pipeserve.e2e.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pipeserve.e2e.cluster.MockApiServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent against an API server: fabric8's mock (CRUD mode) over http, Deployments and
 * Services written to it as the operator writes them, and what the agent makes of them asserted
 * through the API and over real sockets.
 *
 * <p>Its pods run a tiny image: a JVM serving HTTP on its pod's address, {@code /} answering the
 * pod's name and {@code /ready} 200, or 503 while a file {@code not-ready} is in its working
 * directory (the pod's directory), so that a test can switch a pod's readiness. One API server and
 * one agent serve the class, a namespace each test.
 */
class NodeAgentTest {
  private static final String IMAGE = "e2e.local/pod-server:1";
  private static final int PORT = 8080;
  private static final Duration BOUND = Duration.ofSeconds(60);

  /** The image's program: compiled once, not by the source launcher in every pod (1 s each). */
  private static final String POD_SERVER =
      """
      import com.sun.net.httpserver.HttpExchange;
      import com.sun.net.httpserver.HttpServer;
      import java.io.IOException;
      import java.net.InetSocketAddress;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.List;

      public class PodServer {
        public static void main(String[] args) throws IOException {
          String host = args[List.of(args).indexOf("--host") + 1];
          int port = Integer.parseInt(System.getenv("PORT"));
          HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 50);
          server.createContext("/", e -> answer(e, 200, System.getenv("POD_NAME")));
          server.createContext(
              "/ready", e -> answer(e, Files.exists(Path.of("not-ready")) ? 503 : 200, "ready"));
          server.start();
        }

        static void answer(HttpExchange exchange, int status, String body) throws IOException {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        }
      }
      """;

  @TempDir static Path dir;
  private static MockApiServer server;
  private static KubernetesClient client;
  private static NodeAgent agent;

  private String ns;

  @BeforeAll
  static void startNode() throws IOException {
    Path classes = Files.createDirectories(dir.resolve("image"));
    Path source = Files.writeString(dir.resolve("PodServer.java"), POD_SERVER);
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), source.toString());
    assertThat(compiled).as("javac PodServer.java").isZero();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    LocalImage image =
        new LocalImage(
            List.of(
                java,
                "-Xmx32m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classes.toString(),
                "PodServer"),
            List.of(),
            Map.of(),
            List.of("--host", "{podIP}"));

    server = MockApiServer.start();
    client = server.client();
    agent =
        new NodeAgent(client, dir.resolve("node"), Map.of(IMAGE, image), Duration.ofMillis(500))
            .start();
  }

  @AfterAll
  static void stopNode() {
    if (agent != null) {
      agent.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void namespace(TestInfo test) {
    String name = test.getTestMethod().orElseThrow().getName().toLowerCase();
    ns = name.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    ns = ns.substring(0, Math.min(ns.length(), 63)).replaceAll("-$", "");
  }

  @AfterEach
  void deleteDeployments() {
    client.apps().deployments().inNamespace(ns).delete();
    client.services().inNamespace(ns).delete();
  }

  @Test
  void deployment_runsItsReplicas_asReadyPodsOnAddressesOfTheirOwn() throws IOException {
    Deployment deployment = create(deployment("web", 2));

    List<Pod> pods = awaitReadyPods(2);

    assertThat(pods)
        .extracting(p -> p.getStatus().getPodIP())
        .doesNotHaveDuplicates()
        .allSatisfy(ip -> assertThat(ip).matches("127\\.10\\.\\d+\\.\\d+"));
    for (Pod pod : pods) {
      assertThat(get(pod.getStatus().getPodIP(), PORT, "/")).isEqualTo(name(pod));
      OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
      assertThat(List.of(owner.getKind(), owner.getName(), owner.getUid()))
          .containsExactly("Deployment", "web", deployment.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(hash(pod)).isNotBlank();
      assertThat(name(pod)).startsWith("web-" + hash(pod) + "-");
      assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
    }
    assertThat(pods).extracting(NodeAgentTest::hash).containsOnly(hash(pods.get(0)));
  }

  @Test
  void deploymentStatus_countsItsReplicas_atTheGenerationItObserved() {
    create(deployment("web", 2));
    awaitReadyPods(2);

    edit("web", d -> new DeploymentBuilder(d).editSpec().withReplicas(1).endSpec().build());

    eventually()
        .untilAsserted(
            () -> {
              Deployment deployment =
                  client.apps().deployments().inNamespace(ns).withName("web").get();
              assertThat(deployment.getMetadata().getGeneration()).isEqualTo(2L);
              assertThat(deployment.getStatus())
                  .extracting(
                      "observedGeneration",
                      "replicas",
                      "readyReplicas",
                      "updatedReplicas",
                      "availableReplicas")
                  .containsExactly(2L, 1, 1, 1, 1);
            });
  }

  @Test
  void scaledDown_stopsOnePodsProcess_andDeletesItsPodObject() {
    create(deployment("web", 2));
    Set<String> before = names(awaitReadyPods(2));
    List<ProcessHandle> processes = awaitProcesses(2);

    edit("web", d -> new DeploymentBuilder(d).editSpec().withReplicas(1).endSpec().build());

    eventually()
        .untilAsserted(() -> assertThat(processes).filteredOn(ProcessHandle::isAlive).hasSize(1));
    eventually().untilAsserted(() -> assertThat(pods()).hasSize(1));
    assertThat(before).containsAll(names(pods()));
    assertThat(agent.processes(ns))
        .containsExactlyElementsOf(processes.stream().filter(ProcessHandle::isAlive).toList());
  }

  @Test
  void scaledUp_startsTheMissingPods() throws IOException {
    create(deployment("web", 1));
    Pod first = awaitReadyPods(1).get(0);

    edit("web", d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());

    List<Pod> pods = awaitReadyPods(3);
    assertThat(names(pods)).contains(name(first));
    assertThat(agent.processes(ns)).hasSize(3);
    for (Pod pod : pods) {
      assertThat(get(pod.getStatus().getPodIP(), PORT, "/")).isEqualTo(name(pod));
    }
  }

  @Test
  void changedTemplate_replacesThePods_withPodsOfTheNewTemplate() {
    create(deployment("web", 2));
    List<Pod> old = awaitReadyPods(2);
    List<ProcessHandle> oldProcesses = awaitProcesses(2);

    edit("web", d -> withVersion(d, "2"));

    List<Pod> pods =
        eventually()
            .until(
                this::pods,
                ps ->
                    ps.size() == 2
                        && ps.stream().allMatch(NodeAgentTest::ready)
                        && disjoint(names(ps), names(old)));
    assertThat(pods)
        .extracting(p -> p.getMetadata().getLabels().get("pod-template-hash"))
        .doesNotContain(hash(old.get(0)))
        .containsOnly(hash(pods.get(0)));
    assertThat(pods)
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getContainers().get(0).getEnv())
                    .anyMatch(e -> e.getName().equals("VERSION") && e.getValue().equals("2")));
    eventually().untilAsserted(() -> assertThat(oldProcesses).noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void rollout_keepsAsManyReadyEndpointsAsReplicas() {
    create(deployment("web", 2));
    client.resource(service("web", null)).create();
    Set<String> old = names(awaitReadyPods(2));
    eventually().until(() -> readyEndpoints(slice("web")).size() == 2);
    List<EndpointSlice> seen = new CopyOnWriteArrayList<>();

    try (Watch watch = watchSlices(seen)) {
      edit("web", d -> withVersion(d, "2"));

      eventually()
          .until(
              () -> slice("web").getEndpoints(),
              endpoints ->
                  endpoints.size() == 2
                      && endpoints.stream()
                          .allMatch(
                              e ->
                                  e.getConditions().getReady()
                                      && !old.contains(e.getTargetRef().getName())));
    }

    assertThat(seen).isNotEmpty();
    assertThat(seen)
        .allSatisfy(slice -> assertThat(readyEndpoints(slice)).hasSizeGreaterThanOrEqualTo(2));
  }

  @Test
  void rollout_keepsAsManyReadyPodsAsReplicas() {
    create(deployment("web", 2));
    List<Pod> old = awaitReadyPods(2);
    Map<String, Boolean> ready = new ConcurrentHashMap<>();
    old.forEach(p -> ready.put(name(p), true));
    List<Integer> readyCounts = new CopyOnWriteArrayList<>();

    try (Watch watch =
        client
            .pods()
            .inNamespace(ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                      ready.remove(name(pod));
                    } else {
                      ready.put(name(pod), ready(pod));
                    }
                    readyCounts.add((int) ready.values().stream().filter(r -> r).count());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      edit("web", d -> withVersion(d, "2"));

      eventually()
          .until(
              this::pods,
              ps ->
                  ps.size() == 2
                      && ps.stream().allMatch(NodeAgentTest::ready)
                      && disjoint(names(ps), names(old)));
    }

    assertThat(readyCounts).isNotEmpty().allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
  }

  @Test
  void killedProcess_isRestartedInTheSamePod() throws IOException {
    create(deployment("web", 1));
    Pod before = awaitReadyPods(1).get(0);
    ProcessHandle killed = awaitProcesses(1).get(0);

    agent.kill(ns, name(before));

    Pod after =
        eventually()
            .until(
                () -> client.pods().inNamespace(ns).withName(name(before)).get(),
                p -> ready(p) && container(p).getRestartCount() == 1);
    assertThat(killed.isAlive()).isFalse();
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getStatus().getPodIP()).isEqualTo(before.getStatus().getPodIP());
    assertThat(container(after).getLastState().getTerminated()).isNotNull();
    assertThat(container(after).getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(get(after.getStatus().getPodIP(), PORT, "/")).isEqualTo(name(before));
  }

  @Test
  void deletedPodObject_stopsItsProcess_andAReplacementStarts() {
    create(deployment("web", 1));
    Pod deleted = awaitReadyPods(1).get(0);
    ProcessHandle process = awaitProcesses(1).get(0);

    client.resource(deleted).delete();

    eventually().until(() -> !process.isAlive());
    Pod replacement =
        eventually()
            .until(
                this::pods,
                ps -> ps.size() == 1 && ready(ps.get(0)) && !name(ps.get(0)).equals(name(deleted)))
            .get(0);
    assertThat(replacement.getStatus().getPodIP()).isNotEqualTo(deleted.getStatus().getPodIP());
  }

  @Test
  void scaledDown_stopsAPodNotReadyFirst_andDeletesItsPodObject() throws IOException {
    create(deployment("web", 2));
    List<Pod> pods = awaitReadyPods(2);
    Pod notReady = pods.get(0);
    Files.createFile(agent.file(ns, name(notReady), "not-ready"));
    eventually()
        .until(() -> client.pods().inNamespace(ns).withName(name(notReady)).get(), p -> !ready(p));

    edit("web", d -> new DeploymentBuilder(d).editSpec().withReplicas(1).endSpec().build());

    eventually().untilAsserted(() -> assertThat(names(pods())).containsExactly(name(pods.get(1))));
  }

  @Test
  void deletedPodObject_ofACrashLoopingPod_isReplaced() {
    create(withCommand(deployment("web", 1), "sh", "-c", "exit 1"));
    Pod deleted =
        eventually()
            .until(
                this::pods,
                ps ->
                    ps.size() == 1
                        && !ps.get(0).getStatus().getContainerStatuses().isEmpty()
                        && container(ps.get(0)).getRestartCount() >= 1)
            .get(0);

    client.resource(deleted).delete();

    eventually()
        .untilAsserted(() -> assertThat(names(pods())).hasSize(1).doesNotContain(name(deleted)));
  }

  @Test
  void deletedDeployment_deletesThePodObjectOfAPodThatNeverStarted() {
    Deployment deployment = create(withImage(deployment("web", 1), "registry.example/unknown:1"));
    eventually()
        .until(
            this::pods,
            ps -> ps.size() == 1 && !ps.get(0).getStatus().getContainerStatuses().isEmpty());

    client.resource(deployment).delete();

    eventually().untilAsserted(() -> assertThat(pods()).isEmpty());
  }

  @Test
  void podFailingItsReadinessProbe_isNotReady_inItsPodAndItsEndpointSlice() throws IOException {
    create(deployment("web", 2));
    client.resource(service("web", null)).create();
    List<Pod> pods = awaitReadyPods(2);
    Pod failing = pods.get(0);

    Files.createFile(agent.file(ns, name(failing), "not-ready"));

    eventually()
        .until(() -> client.pods().inNamespace(ns).withName(name(failing)).get(), p -> !ready(p));
    eventually()
        .untilAsserted(
            () ->
                assertThat(readyEndpoints(slice("web")))
                    .containsExactly(pods.get(1).getStatus().getPodIP()));
    assertThat(slice("web").getEndpoints())
        .extracting(e -> e.getAddresses().get(0))
        .containsExactlyInAnyOrder(
            failing.getStatus().getPodIP(), pods.get(1).getStatus().getPodIP());
  }

  @Test
  void serviceClusterIp_proxiesOnlyToReadyPods() throws IOException {
    create(deployment("web", 2));
    client.resource(service("web", null)).create();
    List<Pod> pods = awaitReadyPods(2);
    String clusterIp =
        eventually()
            .until(
                () -> client.services().inNamespace(ns).withName("web").get(),
                service -> service.getSpec().getClusterIP() != null)
            .getSpec()
            .getClusterIP();
    assertThat(clusterIp).matches("127\\.20\\.\\d+\\.\\d+");
    eventually()
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(answers(clusterIp, 4))
                    .containsOnly(name(pods.get(0)), name(pods.get(1)))
                    .contains(name(pods.get(0)), name(pods.get(1))));

    Files.createFile(agent.file(ns, name(pods.get(0)), "not-ready"));

    eventually()
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(answers(clusterIp, 4)).containsOnly(name(pods.get(1))));
  }

  @Test
  void headlessService_isResolvedToItsReadyPods_inTheNodesHostsFile() {
    create(deployment("web", 2));
    client.resource(service("web", "None")).create();
    List<Pod> pods = awaitReadyPods(2);

    eventually()
        .untilAsserted(
            () ->
                assertThat(hostsLines(" web." + ns + ".svc "))
                    .containsExactlyInAnyOrderElementsOf(
                        pods.stream()
                            .map(
                                p ->
                                    "%s web.%s.svc.cluster.local web.%s.svc web.%s"
                                        .formatted(p.getStatus().getPodIP(), ns, ns, ns))
                            .toList()));
  }

  @Test
  void deletedDeployment_stopsItsPods_andDeletesTheirObjects() {
    Deployment deployment = create(deployment("web", 2));
    awaitReadyPods(2);
    List<ProcessHandle> processes = awaitProcesses(2);

    client.resource(deployment).delete();

    eventually().untilAsserted(() -> assertThat(processes).noneMatch(ProcessHandle::isAlive));
    eventually().untilAsserted(() -> assertThat(pods()).isEmpty());
    assertThat(agent.processes(ns)).isEmpty();
  }

  @Test
  void objectWhoseOwnerIsDeleted_isDeletedByTheGarbageCollector() {
    Deployment deleted = create(deployment("deleted", 0));
    Deployment kept = create(deployment("kept", 0));
    client.resource(configMapOwnedBy("of-deleted", deleted)).create();
    client.resource(configMapOwnedBy("of-kept", kept)).create();

    client.resource(deleted).delete();

    eventually()
        .until(() -> client.configMaps().inNamespace(ns).withName("of-deleted").get() == null);
    assertThat(client.configMaps().inNamespace(ns).withName("of-kept").get()).isNotNull();
  }

  @Test
  void podOfAnImageTheNodeDoesNotKnow_waits_withAMessageNamingTheImage() {
    create(withImage(deployment("web", 1), "registry.example/unknown:1"));

    ContainerStateWaiting waiting =
        eventually()
            .until(
                this::pods,
                ps ->
                    ps.size() == 1
                        && !ps.get(0).getStatus().getContainerStatuses().isEmpty()
                        && container(ps.get(0)).getState().getWaiting() != null
                        && container(ps.get(0)).getState().getWaiting().getMessage() != null)
            .stream()
            .map(p -> container(p).getState().getWaiting())
            .findFirst()
            .orElseThrow();

    assertThat(waiting.getReason()).isNotBlank().isNotEqualTo("PodInitializing");
    assertThat(waiting.getMessage()).contains("registry.example/unknown:1");
    assertThat(agent.processes(ns)).isEmpty();
  }

  // --- the objects, as the operator writes them

  private Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(5L)
        .addNewContainer()
        .withName("server")
        .withImage(IMAGE)
        .addNewPort()
        .withName("http")
        .withContainerPort(PORT)
        .endPort()
        .addNewEnv()
        .withName("PORT")
        .withValue(String.valueOf(PORT))
        .endEnv()
        .addNewEnv()
        .withName("POD_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("VERSION")
        .withValue("1")
        .endEnv()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/ready")
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(1)
        .withFailureThreshold(1)
        .endReadinessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Deployment withVersion(Deployment deployment, String version) {
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("VERSION"))
        .forEach(e -> e.setValue(version));
    return deployment;
  }

  private static Deployment withCommand(Deployment deployment, String... command) {
    deployment
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setCommand(List.of(command));
    return deployment;
  }

  private static Deployment withImage(Deployment deployment, String image) {
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
    return deployment;
  }

  private Service service(String name, String clusterIp) {
    return TestObjects.service(
        ns,
        name,
        clusterIp,
        Map.of("app", name),
        TestObjects.port("http", PORT, new IntOrString("http")));
  }

  private ConfigMap configMapOwnedBy(String name, Deployment owner) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .addToData("key", "value")
        .build();
  }

  private Deployment create(Deployment deployment) {
    return client.resource(deployment).create();
  }

  /** Edits the Deployment again on a conflict, as an operator does: the agent writes its status. */
  private void edit(String deployment, UnaryOperator<Deployment> change) {
    eventually()
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> client.apps().deployments().inNamespace(ns).withName(deployment).edit(change),
            Objects::nonNull);
  }

  // --- what the agent made of them

  private List<Pod> pods() {
    return client.pods().inNamespace(ns).list().getItems();
  }

  private List<Pod> awaitReadyPods(int n) {
    return eventually()
        .until(this::pods, ps -> ps.size() == n && ps.stream().allMatch(NodeAgentTest::ready));
  }

  private List<ProcessHandle> awaitProcesses(int n) {
    return eventually().until(() -> agent.processes(ns), ps -> ps.size() == n);
  }

  private EndpointSlice slice(String service) {
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(ns)
        .withName(service + "-node")
        .get();
  }

  private Watch watchSlices(List<EndpointSlice> seen) {
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(ns)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, EndpointSlice slice) {
                seen.add(slice);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private List<String> hostsLines(String containing) throws IOException {
    return Files.readAllLines(dir.resolve("node/hosts")).stream()
        .filter(line -> line.contains(containing))
        .toList();
  }

  private static List<String> readyEndpoints(EndpointSlice slice) {
    return slice == null
        ? List.of()
        : slice.getEndpoints().stream()
            .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
            .map(e -> e.getAddresses().get(0))
            .toList();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static ContainerStatus container(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0);
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }

  private static String hash(Pod pod) {
    return pod.getMetadata().getLabels().get("pod-template-hash");
  }

  private static Set<String> names(List<Pod> pods) {
    return pods.stream().map(NodeAgentTest::name).collect(Collectors.toSet());
  }

  private static boolean disjoint(Set<String> a, Set<String> b) {
    return a.stream().noneMatch(b::contains);
  }

  /** What {@code n} connections to the Service's port answer, one request each. */
  private static List<String> answers(String ip, int n) throws IOException {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(get(ip, PORT, "/"));
    }
    return answers;
  }

  /** The body of a 200 answer to GET {@code path}, on a connection of its own. */
  private static String get(String ip, int port, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, port), 5_000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + ip + "\r\nConnection: close\r\n\r\n")
                  .getBytes(UTF_8));
      String response = new String(socket.getInputStream().readAllBytes(), UTF_8);
      if (!response.startsWith("HTTP/1.1 200 ")) {
        throw new IOException(ip + ":" + port + path + " answered: " + response);
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(BOUND).pollInterval(Duration.ofMillis(100));
  }
}
