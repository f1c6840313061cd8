package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node cluster's worth of controllers for an API server that has none (fabric8's mock): what
 * the Deployment controller, the kubelet, the EndpointSlice controller, kube-proxy, cluster DNS and
 * the garbage collector do, done on this machine with real processes.
 *
 * <p>Every Deployment becomes its {@code replicas} pods, each a process started from the pod
 * template ({@link PodRunner}, {@link ContainerCommand}) on an address of its own ({@link
 * Addresses}), with its volumes laid out ({@link PodFiles}); a changed template rolls the pods (the
 * new ones first, the old stopped as the new become ready); fewer replicas or a deleted Deployment
 * stop pods, gracefully. The agent writes the Pod objects with their address, readiness and
 * restarts, the Deployments' status, an EndpointSlice per Service, cluster IPs with a proxy each
 * ({@link ServiceProxy}), the DNS names ({@link ClusterDns}), and deletes what lost its owners
 * ({@link GarbageCollector}).
 *
 * <p>It runs one control loop, every {@code 200 ms}, on one thread: each pass reads the API server
 * and brings the node and the objects it writes in line.
 */
public final class NodeAgent implements AutoCloseable {
  public static final String NODE_NAME = "e2e-node";
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final String TEMPLATE_HASH_LABEL = "pod-template-hash";
  private static final Duration PERIOD = Duration.ofMillis(200);
  private static final int GC_EVERY = 5;

  private final KubernetesClient client;
  private final Path dir;
  private final Map<String, LocalImage> images;
  private final Duration maxProbePeriod;
  private final Path hostsFile;
  private final Addresses addresses = new Addresses();
  private final GarbageCollector collector;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "node-agent");
            t.setDaemon(true);
            return t;
          });

  // Touched by the loop's thread only, but for the read-only views (pods, processes).
  private final Map<String, PodRunner> pods = new ConcurrentHashMap<>();
  private final Map<String, String> written = new HashMap<>();
  private final Map<String, String> clusterIps = new HashMap<>();
  private final Map<String, ServiceProxy> proxies = new HashMap<>();
  private Map<PodRunner, PodState> seen = Map.of();
  private String hosts = "";
  private long passes;

  /**
   * @param dir where the pods' files, logs and the node's hosts file go
   * @param images what each image name runs as here
   * @param maxProbePeriod the longest time between startup and readiness probes
   */
  public NodeAgent(
      KubernetesClient client, Path dir, Map<String, LocalImage> images, Duration maxProbePeriod) {
    this.client = client;
    this.dir = dir;
    this.images = Map.copyOf(images);
    this.maxProbePeriod = maxProbePeriod;
    this.hostsFile = dir.resolve("hosts");
    this.collector = new GarbageCollector(client);
    writeHosts(ClusterDns.hosts(List.of(), Map.of(), Map.of()));
  }

  public NodeAgent start() {
    loop.scheduleWithFixedDelay(this::pass, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The processes alive in pods of {@code namespace}. */
  public List<ProcessHandle> processes(String namespace) {
    return pods.values().stream()
        .filter(r -> r.pod().getMetadata().getNamespace().equals(namespace))
        .flatMap(r -> r.liveProcesses().stream())
        .toList();
  }

  /** Kills the process of pod {@code name} at once (SIGKILL), as a crash would. */
  public void kill(String namespace, String name) {
    PodRunner runner = pods.get(namespace + "/" + name);
    if (runner == null) {
      throw new IllegalArgumentException("no pod " + namespace + "/" + name + " on this node");
    }
    runner.kill();
  }

  /** Where {@code path}, as pod {@code name}'s container sees it, is on this machine. */
  public Path file(String namespace, String name, String path) {
    Path root = podDir(namespace, name);
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("no pod " + namespace + "/" + name + " on this node");
    }
    return root.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /**
   * Kills every pod's processes at once, without draining: for a JVM on its way out, so that no pod
   * outlives the agent.
   */
  public void killAll() {
    loop.shutdownNow();
    pods.values().forEach(PodRunner::killAll);
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pods.values().forEach(PodRunner::terminate);
    for (PodRunner runner : pods.values()) {
      try {
        runner.join(Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    proxies.values().forEach(ServiceProxy::close);
  }

  private void pass() {
    try {
      List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
      Set<String> podObjects =
          client.pods().inAnyNamespace().list().getItems().stream()
              .map(NodeAgent::key)
              .collect(Collectors.toSet());
      // Each template hashed once a pass: the scaling and the status both compare pods with it.
      Map<String, String> hashes = new HashMap<>();
      deployments.forEach(
          d -> hashes.put(d.getMetadata().getUid(), templateHash(d.getSpec().getTemplate())));
      runPods(deployments, hashes, podObjects);
      // One view of the pods for everything written in this pass: a Deployment never counts a pod
      // ready whose Pod object does not say so, nor an endpoint slice list it.
      seen = new HashMap<>();
      pods.values().forEach(r -> seen.put(r, r.state()));
      writePods(podObjects);
      writeDeployments(deployments, hashes);
      serveServices();
      if (passes++ % GC_EVERY == 0) {
        collector.collect();
      }
    } catch (KubernetesClientException e) {
      LOG.warn("node agent: API call failed, trying again in the next pass: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("node agent: pass failed", e);
    }
  }

  // --- the Deployment controller and the kubelet

  private void runPods(
      List<Deployment> deployments, Map<String, String> hashes, Set<String> podObjects) {
    Set<String> owners =
        deployments.stream().map(d -> d.getMetadata().getUid()).collect(Collectors.toSet());
    for (PodRunner runner : pods.values()) {
      if (runner.state().terminating()) {
        continue;
      }
      if (!owners.contains(owner(runner.pod()))) {
        LOG.info("pod {}: its deployment is gone, stopping it", key(runner.pod()));
        runner.terminate();
      } else if (!podObjects.contains(key(runner.pod()))) {
        LOG.info("pod {}: its Pod object was deleted, stopping it", key(runner.pod()));
        runner.terminate();
      }
    }
    for (Deployment deployment : deployments) {
      scale(deployment, hashes.get(deployment.getMetadata().getUid()));
    }
  }

  private void scale(Deployment deployment, String hash) {
    int desired = replicas(deployment);
    List<PodRunner> current = new ArrayList<>();
    List<PodRunner> old = new ArrayList<>();
    for (PodRunner runner : pods.values()) {
      if (owner(runner.pod()).equals(deployment.getMetadata().getUid())
          && !runner.state().terminating()) {
        (hash.equals(templateHashOf(runner.pod())) ? current : old).add(runner);
      }
    }
    for (int i = current.size(); i < desired; i++) {
      startPod(deployment, hash);
    }
    // Fewer replicas: the pods not ready go first, then the youngest (as the ReplicaSet
    // controller).
    // Readiness as the last pass wrote it: a pod counts ready once its Pod object says so.
    Comparator<PodRunner> firstToGo =
        Comparator.comparing((PodRunner r) -> seen(r).ready())
            .thenComparing(
                r -> r.pod().getMetadata().getCreationTimestamp(), Comparator.reverseOrder());
    current.stream()
        .sorted(firstToGo)
        .limit(Math.max(0, current.size() - desired))
        .forEach(this::stop);
    long readyCurrent = current.stream().filter(r -> seen(r).ready()).count();
    long keepOld = Math.max(0, desired - readyCurrent);
    old.stream().sorted(firstToGo).limit(Math.max(0, old.size() - keepOld)).forEach(this::stop);
  }

  private void stop(PodRunner runner) {
    LOG.info("pod {}: stopping", key(runner.pod()));
    runner.terminate();
  }

  private void startPod(Deployment deployment, String hash) {
    String ns = deployment.getMetadata().getNamespace();
    String name = deployment.getMetadata().getName() + "-" + hash + "-" + suffix();
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
    labels.put(TEMPLATE_HASH_LABEL, hash);
    Instant now = Instant.now();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withAnnotations(template.getMetadata().getAnnotations())
            .withCreationTimestamp(now.toString())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("Deployment")
                    .withName(deployment.getMetadata().getName())
                    .withUid(deployment.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withSpec(template.getSpec())
            .editSpec()
            .withNodeName(NODE_NAME)
            .endSpec()
            .withStatus(PodStatuses.scheduled(addresses.pod(), now))
            .build();
    PodFiles files =
        PodFiles.create(
            podDir(ns, name),
            pod.getSpec(),
            configMap -> client.configMaps().inNamespace(ns).withName(configMap).get());
    Pod created = client.resource(pod).create();
    created.setStatus(pod.getStatus());
    PodRunner runner = new PodRunner(created, files, this::image, hostsFile, maxProbePeriod);
    pods.put(key(created), runner);
    LOG.info("pod {}: scheduled on {}", key(created), pod.getStatus().getPodIP());
    runner.start();
  }

  private LocalImage image(String name) {
    LocalImage image = images.get(name);
    if (image == null) {
      throw new IllegalArgumentException(
          "image " + name + " is not one this node can run (it runs " + images.keySet() + ")");
    }
    return image;
  }

  /** Pod objects in step with their pods; those of stopped pods deleted. */
  private void writePods(Set<String> podObjects) {
    for (PodRunner runner : List.copyOf(pods.values())) {
      Pod pod = runner.pod();
      String key = key(pod);
      if (runner.finished() && seen(runner).terminating()) {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .delete();
        pods.remove(key);
        written.remove("pod/" + key);
        LOG.info("pod {}: stopped and deleted", key);
        continue;
      }
      PodStatus status = PodStatuses.of(pod, seen(runner));
      if (podObjects.contains(key) && changed("pod/" + key, status)) {
        unlessGone(
            () ->
                client
                    .pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .editStatus(
                        p -> {
                          p.setStatus(status);
                          return p;
                        }));
      }
    }
  }

  private void writeDeployments(List<Deployment> deployments, Map<String, String> hashes) {
    for (Deployment deployment : deployments) {
      String hash = hashes.get(deployment.getMetadata().getUid());
      List<PodRunner> mine =
          pods.values().stream()
              .filter(r -> owner(r.pod()).equals(deployment.getMetadata().getUid()))
              .toList();
      int desired = replicas(deployment);
      int ready = (int) mine.stream().filter(r -> seen(r).ready()).count();
      int updated =
          (int)
              mine.stream()
                  .filter(r -> !seen(r).terminating() && hash.equals(templateHashOf(r.pod())))
                  .count();
      Long generation = deployment.getMetadata().getGeneration();
      DeploymentStatus status =
          new DeploymentStatusBuilder()
              .withObservedGeneration(generation == null ? 1L : generation)
              .withReplicas(mine.size())
              .withUpdatedReplicas(updated)
              .withReadyReplicas(ready)
              .withAvailableReplicas(ready)
              .withUnavailableReplicas(Math.max(0, desired - ready))
              .withConditions(
                  new DeploymentConditionBuilder()
                      .withType("Available")
                      .withStatus(ready >= desired ? "True" : "False")
                      .withReason(
                          ready >= desired
                              ? "MinimumReplicasAvailable"
                              : "MinimumReplicasUnavailable")
                      .build())
              .build();
      if (!Objects.equals(deployment.getStatus(), status)) {
        unlessGone(
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName())
                    .editStatus(
                        d -> {
                          d.setStatus(status);
                          return d;
                        }));
      }
    }
  }

  // --- EndpointSlices, kube-proxy, DNS

  private void serveServices() {
    List<Service> services = client.services().inAnyNamespace().list().getItems();
    List<EndpointSlices.Member> members =
        pods.values().stream()
            .map(r -> new EndpointSlices.Member(r.pod(), seen(r).ready(), seen(r).terminating()))
            .toList();
    Map<String, EndpointSlice> slices = new HashMap<>();
    Set<String> proxied = new HashSet<>();
    for (Service service : services) {
      if (service.getSpec().getSelector() == null || service.getSpec().getSelector().isEmpty()) {
        continue;
      }
      String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
      EndpointSlice slice = EndpointSlices.of(service, members);
      slices.put(key, slice);
      if (changed("slice/" + key, slice)) {
        write(slice);
      }
      if (!"None".equals(service.getSpec().getClusterIP())) {
        String ip = clusterIps.computeIfAbsent(key, k -> addresses.service());
        if (!ip.equals(service.getSpec().getClusterIP())) {
          client
              .services()
              .inNamespace(service.getMetadata().getNamespace())
              .withName(service.getMetadata().getName())
              .edit(
                  s -> {
                    s.getSpec().setClusterIP(ip);
                    s.getSpec().setClusterIPs(List.of(ip));
                    return s;
                  });
        }
        for (ServicePort port : service.getSpec().getPorts()) {
          String address = ip + ":" + port.getPort();
          proxied.add(address);
          proxy(address, ip, port.getPort()).endpoints(EndpointSlices.ready(slice, port.getName()));
        }
      }
    }
    proxies
        .keySet()
        .removeIf(
            address -> {
              if (proxied.contains(address)) {
                return false;
              }
              proxies.get(address).close();
              return true;
            });
    writeHosts(ClusterDns.hosts(services, clusterIps, slices));
  }

  private ServiceProxy proxy(String address, String ip, int port) {
    return proxies.computeIfAbsent(
        address,
        a -> {
          try {
            return new ServiceProxy(ip, port);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + a, e);
          }
        });
  }

  private void writeHosts(String content) {
    if (content.equals(hosts)) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path staged = dir.resolve("hosts.tmp");
      Files.writeString(staged, content);
      Files.move(
          staged, hostsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      hosts = content;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- helpers

  /** Writes an object's status, unless it was deleted since this pass read it (a 404). */
  private static void unlessGone(Runnable write) {
    try {
      write.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** {@code runner}'s state as this pass sees it. */
  private PodState seen(PodRunner runner) {
    PodState state = seen.get(runner);
    return state == null ? runner.state() : state;
  }

  /** Creates or replaces {@code slice} (the mock API server has no server-side apply). */
  private void write(EndpointSlice slice) {
    EndpointSlice existing = client.resource(slice).get();
    if (existing == null) {
      client.resource(slice).create();
    } else {
      client
          .resource(
              new EndpointSliceBuilder(slice)
                  .editMetadata()
                  .withResourceVersion(existing.getMetadata().getResourceVersion())
                  .endMetadata()
                  .build())
          .update();
    }
  }

  /** Whether {@code value} differs from what was last written under {@code key}; records it. */
  private boolean changed(String key, Object value) {
    String json = client.getKubernetesSerialization().asJson(value);
    return !json.equals(written.put(key, json));
  }

  private Path podDir(String namespace, String name) {
    return dir.resolve("pods").resolve(namespace).resolve(name);
  }

  private static int replicas(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String owner(Pod pod) {
    return pod.getMetadata().getOwnerReferences().get(0).getUid();
  }

  private static String templateHashOf(Pod pod) {
    return pod.getMetadata().getLabels().get(TEMPLATE_HASH_LABEL);
  }

  private String templateHash(PodTemplateSpec template) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(client.getKubernetesSerialization().asJson(template).getBytes());
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
