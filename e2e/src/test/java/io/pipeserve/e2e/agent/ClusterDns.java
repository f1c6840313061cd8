package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The cluster's DNS as a hosts file, which every JVM on the node reads ({@code
 * jdk.net.hosts.file}): a Service's names ({@code svc.ns.svc.cluster.local}, {@code svc.ns.svc},
 * {@code svc.ns}) resolve to its cluster IP, or for a headless Service to the addresses of its
 * ready pods, one line each, as CoreDNS answers.
 */
final class ClusterDns {
  private ClusterDns() {}

  /**
   * @param clusterIps the cluster IP of each Service that has one, by namespace/name
   * @param slices each Service's EndpointSlice, by namespace/name
   */
  static String hosts(
      List<Service> services, Map<String, String> clusterIps, Map<String, EndpointSlice> slices) {
    TreeSet<String> lines = new TreeSet<>();
    for (Service service : services) {
      String ns = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      String key = ns + "/" + name;
      String names =
          name + "." + ns + ".svc.cluster.local " + name + "." + ns + ".svc " + name + "." + ns;
      if ("None".equals(service.getSpec().getClusterIP())) {
        EndpointSlice slice = slices.get(key);
        if (slice == null) {
          continue;
        }
        boolean all = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        slice.getEndpoints().stream()
            .filter(e -> all || Boolean.TRUE.equals(e.getConditions().getReady()))
            .forEach(e -> lines.add(e.getAddresses().get(0) + " " + names));
      } else if (clusterIps.containsKey(key)) {
        lines.add(clusterIps.get(key) + " " + names);
      }
    }
    // A pod's own /etc/hosts has localhost; the node's name keeps InetAddress.getLocalHost working.
    StringBuilder out =
        new StringBuilder("# cluster DNS of the e2e node agent\n127.0.0.1 localhost ")
            .append(hostName())
            .append('\n');
    lines.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
