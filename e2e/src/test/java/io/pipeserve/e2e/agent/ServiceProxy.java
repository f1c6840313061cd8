package io.pipeserve.e2e.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kube-proxy does for one port of a Service: connections to the Service's cluster IP and port
 * go to one of its ready endpoints, a new choice per connection (round robin), and stay with it, as
 * conntrack keeps them; with no ready endpoint a connection is refused at once (closed).
 */
final class ServiceProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

  private final ServerSocket server;
  private final AtomicInteger next = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile List<InetSocketAddress> endpoints = List.of();
  private volatile boolean closed;

  ServiceProxy(String ip, int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 128);
    Thread accept = new Thread(this::accept, "proxy-" + ip + ":" + port);
    accept.setDaemon(true);
    accept.start();
  }

  void endpoints(List<InetSocketAddress> ready) {
    endpoints = List.copyOf(ready);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread connection = new Thread(() -> connect(client), "proxy-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("proxy {}: accept failed", server.getLocalSocketAddress(), e);
        }
      }
    }
  }

  private void connect(Socket client) {
    List<InetSocketAddress> candidates = endpoints;
    int first = Math.floorMod(next.getAndIncrement(), Math.max(1, candidates.size()));
    for (int i = 0; i < candidates.size(); i++) {
      InetSocketAddress endpoint = candidates.get((first + i) % candidates.size());
      Socket backend = new Socket();
      try {
        backend.connect(endpoint, 2000);
      } catch (IOException e) {
        closeQuietly(backend);
        continue;
      }
      open.add(backend);
      noDelay(client);
      noDelay(backend);
      pump(client, backend);
      return;
    }
    closeQuietly(client);
  }

  private void pump(Socket client, Socket backend) {
    Thread upstream = new Thread(() -> copy(client, backend), "proxy-up");
    upstream.setDaemon(true);
    upstream.start();
    copy(backend, client);
  }

  private void copy(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed or reset: close both, as a dropped connection would be
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void noDelay(Socket socket) {
    try {
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      // a socket already closed: the copy ends at once
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(this::closeQuietly);
  }
}
