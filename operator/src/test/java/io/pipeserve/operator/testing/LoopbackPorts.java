package io.pipeserve.operator.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports for fake pods, each on its own loopback address (127.0.0.x) as on its own pod IP. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** A port that is free on every one of {@code ips}: pods of a Deployment share their ports. */
  public static int freeOn(String... ips) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket first = new ServerSocket()) {
        first.bind(new InetSocketAddress(InetAddress.getByName(ips[0]), 0));
        port = first.getLocalPort();
      }
      if (freeOnAll(port, ips)) {
        return port;
      }
    }
    throw new IOException("no port free on all of " + String.join(", ", ips));
  }

  private static boolean freeOnAll(int port, String... ips) {
    for (String ip : ips) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
