package io.pipeserve.e2e.cluster;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port on this machine's loopback whose connections reach a pod's port through the API server's
 * port-forward (as {@code kubectl port-forward} does): the test process's way into a cluster
 * network it is no part of. The pod is chosen anew for every connection, so the address of a
 * Service keeps working as its pods are replaced, the way a Service's cluster IP does: each
 * connection goes to one of the Service's ready endpoints, in turn.
 */
final class ForwardedPort implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ForwardedPort.class);

  /** A pod's port. */
  record Target(String pod, int port) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Supplier<Optional<Target>> targets;
  private final ServerSocketChannel listener;
  private final List<PortForward> streams = new CopyOnWriteArrayList<>();

  private ForwardedPort(
      KubernetesClient client,
      String namespace,
      String name,
      Supplier<Optional<Target>> targets,
      ServerSocketChannel listener) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.targets = targets;
    this.listener = listener;
  }

  /** Forwards to port {@code port} of pod {@code pod}. */
  static ForwardedPort toPod(KubernetesClient client, String namespace, String pod, int port) {
    if (client.pods().inNamespace(namespace).withName(pod).get() == null) {
      throw new IllegalArgumentException("There is no pod " + namespace + "/" + pod + ".");
    }
    Optional<Target> target = Optional.of(new Target(pod, port));
    return open(client, namespace, "pod " + pod + ":" + port, () -> target);
  }

  /** Forwards each connection to a ready endpoint of port {@code port} of Service {@code name}. */
  static ForwardedPort toService(KubernetesClient client, String namespace, String name, int port) {
    Service service = client.services().inNamespace(namespace).withName(name).get();
    if (service == null) {
      throw new IllegalArgumentException("There is no Service " + namespace + "/" + name + ".");
    }
    ServicePort servicePort = servicePort(service, port);
    AtomicInteger turn = new AtomicInteger();
    Supplier<Optional<Target>> targets =
        () -> {
          List<Target> ready =
              readyEndpoints(
                  servicePort,
                  client
                      .discovery()
                      .v1()
                      .endpointSlices()
                      .inNamespace(namespace)
                      .withLabel("kubernetes.io/service-name", name)
                      .list()
                      .getItems());
          return ready.isEmpty()
              ? Optional.empty()
              : Optional.of(ready.get(Math.floorMod(turn.getAndIncrement(), ready.size())));
        };
    return open(client, namespace, "Service " + name + ":" + port, targets);
  }

  private static ForwardedPort open(
      KubernetesClient client, String namespace, String name, Supplier<Optional<Target>> targets) {
    try {
      ServerSocketChannel listener =
          ServerSocketChannel.open()
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      ForwardedPort port = new ForwardedPort(client, namespace, name, targets, listener);
      Thread acceptor = new Thread(port::accept, "forward " + namespace + "/" + name);
      acceptor.setDaemon(true);
      acceptor.start();
      return port;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot listen on the loopback for " + name, e);
    }
  }

  /** Where the test process connects. */
  InetSocketAddress address() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("The forward of " + name + " is closed", e);
    }
  }

  /**
   * The port of {@code service} that clients address as {@code port}.
   *
   * @throws IllegalArgumentException naming the ports it has
   */
  static ServicePort servicePort(Service service, int port) {
    List<ServicePort> ports = service.getSpec().getPorts();
    return ports.stream()
        .filter(p -> p.getPort() == port)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Service "
                        + service.getMetadata().getNamespace()
                        + "/"
                        + service.getMetadata().getName()
                        + " has no port "
                        + port
                        + "; it has "
                        + ports.stream()
                            .map(
                                p ->
                                    p.getPort()
                                        + (p.getName() == null ? "" : " (" + p.getName() + ")"))
                            .toList()
                        + "."));
  }

  /**
   * The pods and ports that {@code servicePort} reaches, as kube-proxy sees them: the ready
   * endpoints of the Service's EndpointSlices (no condition counts as ready, as the API says), with
   * the slice's port of the same name, which the EndpointSlice controller has resolved from the
   * Service's target port. Sorted by pod, so that connections take turns in a stable order.
   */
  static List<Target> readyEndpoints(ServicePort servicePort, List<EndpointSlice> slices) {
    String portName = Objects.requireNonNullElse(servicePort.getName(), "");
    return slices.stream()
        .flatMap(
            slice -> {
              Optional<Integer> number =
                  slice.getPorts().stream()
                      .filter(p -> portName.equals(Objects.requireNonNullElse(p.getName(), "")))
                      .map(EndpointPort::getPort)
                      .filter(Objects::nonNull)
                      .findFirst();
              return number.stream()
                  .flatMap(
                      n ->
                          slice.getEndpoints().stream()
                              .filter(ForwardedPort::ready)
                              .filter(e -> e.getTargetRef() != null)
                              .filter(e -> "Pod".equals(e.getTargetRef().getKind()))
                              .map(e -> new Target(e.getTargetRef().getName(), n)));
            })
        .distinct()
        .sorted(Comparator.comparing(Target::pod))
        .toList();
  }

  private static boolean ready(Endpoint endpoint) {
    return endpoint.getConditions() == null
        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
  }

  private void accept() {
    while (listener.isOpen()) {
      SocketChannel connection;
      try {
        connection = listener.accept();
      } catch (IOException e) {
        if (listener.isOpen()) {
          LOG.warn("The forward of {}/{} stopped accepting connections", namespace, name, e);
        }
        return;
      }
      streams.removeIf(stream -> !stream.isAlive());
      try {
        Target target =
            targets.get().orElseThrow(() -> new IllegalStateException("it has no ready endpoint"));
        streams.add(
            client
                .pods()
                .inNamespace(namespace)
                .withName(target.pod())
                .portForward(target.port(), connection, connection));
      } catch (RuntimeException e) {
        // As a Service with no ready endpoint does: the connection is refused, the next one tried.
        LOG.warn("A connection to {}/{} was closed: {}", namespace, name, e.getMessage());
        try {
          connection.close();
        } catch (IOException ignored) {
          // Closing is all that was left to do with it.
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      LOG.warn("Closing the forward of {}/{}", namespace, name, e);
    }
    for (PortForward stream : streams) {
      try {
        stream.close();
      } catch (IOException e) {
        LOG.warn("Closing a connection forwarded to {}/{}", namespace, name, e);
      }
    }
  }
}
