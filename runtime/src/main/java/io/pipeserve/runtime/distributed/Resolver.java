package io.pipeserve.runtime.distributed;

import io.pipeserve.api.EndpointsSpec;
import io.pipeserve.api.EndpointsSpec.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the replicas of an op: the {@code host:port} of each, now. Called off the event loop (a DNS
 * lookup blocks).
 */
@FunctionalInterface
interface Resolver {
  List<HostPort> resolve() throws UnknownHostException;

  /**
   * The replicas an op's endpoints name: the fixed list as written, or every address the DNS name
   * resolves to (a headless Service answers with one address per ready pod), with its port.
   *
   * <p>The JVM caches lookups ({@code networkaddress.cache.ttl}, 30 s by default); {@code pipeserve
   * serve} lowers it so replicas that come and go are seen within about {@code refreshMs}.
   */
  static Resolver of(EndpointsSpec endpoints) {
    if (endpoints.dns() == null) {
      List<HostPort> fixed = endpoints.addresses().stream().map(HostPort::parse).toList();
      return () -> fixed;
    }
    HostPort name = HostPort.parse(endpoints.dns());
    return () ->
        Arrays.stream(InetAddress.getAllByName(name.host()))
            .map(a -> new HostPort(a.getHostAddress(), name.port()))
            .distinct()
            .toList();
  }
}
