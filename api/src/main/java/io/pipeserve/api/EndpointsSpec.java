package io.pipeserve.api;

import java.util.List;

/**
 * Where an op runs when it runs in processes of its own ({@code pipeserve serve FILE --op NAME}, or
 * the op's pods on Kubernetes): the gateway's executor sends the op's samples to these replicas
 * over the channel service instead of running the op itself. Exactly one of {@code dns} and {@code
 * addresses} is set.
 *
 * @param dns {@code host:port} of a name that resolves to every replica (a headless Service),
 *     looked up again every {@code refreshMs} as replicas come and go
 * @param addresses a fixed list of replicas, {@code host:port} each
 * @param refreshMs how often {@code dns} is resolved again
 */
public record EndpointsSpec(String dns, List<String> addresses, Long refreshMs) {
  public static final long DEFAULT_REFRESH_MS = 5_000;

  public EndpointsSpec {
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }

  /** {@code refreshMs}, or its default when unset. */
  public long refreshPeriodMs() {
    return refreshMs == null ? DEFAULT_REFRESH_MS : refreshMs;
  }

  /**
   * A replica's address as the spec writes it: {@code host:port}, an IPv6 host in brackets ({@code
   * [::1]:9100}).
   */
  public record HostPort(String host, int port) {

    /**
     * Reads {@code host:port}.
     *
     * @throws IllegalArgumentException saying what is wrong, phrased for a spec problem
     */
    public static HostPort parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "'" + text + "' needs a port: host:port, e.g. rec.ocr.svc:9100");
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new IllegalArgumentException(
            "'" + text + "': write an IPv6 address in brackets, e.g. [::1]:9100");
      }
      if (host.isBlank() || !host.matches("[A-Za-z0-9._:-]+")) {
        throw new IllegalArgumentException("'" + text + "' has no valid host name or address");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("'" + text + "': the port must be a number in 1..65535");
      }
      return new HostPort(host, port);
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
