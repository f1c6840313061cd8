package io.pipeserve.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code host:port} network endpoint: a DNS name, an IPv4 address or a bracketed IPv6 address
 * ({@code [::1]:8001}), and a port in 1..65535.
 *
 * @param host the host, without brackets for IPv6
 * @param port the port
 */
public record Endpoint(String host, int port) {
  private static final Pattern FORM =
      Pattern.compile("(\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9._-]+)):(\\d{1,5})");

  /**
   * Reads {@code host:port}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static Endpoint parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not host:port (e.g. triton:8001, 10.0.0.7:8001, [::1]:8001)");
    }
    int port = Integer.parseInt(m.group(4));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("'" + text + "': the port must be in 1..65535");
    }
    return new Endpoint(m.group(2) != null ? m.group(2) : m.group(3), port);
  }

  /** The endpoint as written in a spec: {@code host:port}, IPv6 hosts in brackets. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
