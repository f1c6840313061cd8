package io.pipeserve.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A Kubernetes cluster with the pipeserve operator running, as the scenarios see it: its API, and
 * the few things a test needs that the API does not give (reaching a Service or pod from the test
 * process, crashing a pod, reading a file in a pod). {@link LocalCluster} is fabric8's mock API
 * server with the operator and a node agent on this machine; {@link RemoteCluster} a real cluster
 * ({@code E2E_KUBECONFIG}).
 */
public interface Cluster extends AutoCloseable {

  KubernetesClient client();

  /** The runtime image the scenarios' Pipelines name ({@code spec.image}). */
  String runtimeImage();

  /** How long a Pipeline may take to become Ready here (pods started, models loaded). */
  Duration readyTimeout();

  /** An address the test process reaches port {@code port} of Service {@code name} through. */
  InetSocketAddress service(String namespace, String name, int port);

  /** An address the test process reaches port {@code port} of pod {@code name} through. */
  InetSocketAddress pod(String namespace, String name, int port);

  /** Ends pod {@code name}'s container abruptly (SIGKILL, no draining), as a crash would. */
  void crash(String namespace, String name);

  /**
   * The content of {@code path} as container {@code container} of pod {@code pod} sees it; null
   * when there is no such file.
   */
  String readFile(String namespace, String pod, String container, String path);

  /** How many processes of pods of {@code namespace} still run (containers, on a real cluster). */
  int runningProcesses(String namespace);

  @Override
  void close();
}
