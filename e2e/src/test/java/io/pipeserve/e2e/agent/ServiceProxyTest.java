package io.pipeserve.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Service's proxy on its cluster IP, with real sockets: the proxy and two line-echo backends on
 * addresses of their own in 127.0.0.0/8, as the node's Services and pods are.
 */
class ServiceProxyTest {
  private static final String SERVICE_IP = "127.0.0.31";

  private final List<AutoCloseable> closing = new ArrayList<>();
  private EchoBackend a;
  private EchoBackend b;
  private ServiceProxy proxy;
  private int port;

  @BeforeEach
  void start() throws IOException {
    a = closeLater(new EchoBackend("a", "127.0.0.32"));
    b = closeLater(new EchoBackend("b", "127.0.0.33"));
    port = freePort(SERVICE_IP);
    proxy = closeLater(new ServiceProxy(SERVICE_IP, port));
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void connections_goToTheEndpointsInTurn() throws IOException {
    proxy.endpoints(List.of(a.address(), b.address()));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try (Client client = new Client()) {
        answers.add(client.ask("hello"));
      }
    }

    assertThat(answers).containsExactly("a:hello", "b:hello", "a:hello", "b:hello");
  }

  @Test
  void connection_staysWithTheEndpointItWasGiven() throws IOException {
    proxy.endpoints(List.of(a.address(), b.address()));

    try (Client client = new Client()) {
      assertThat(List.of(client.ask("1"), client.ask("2"), client.ask("3")))
          .containsExactly("a:1", "a:2", "a:3");
    }
  }

  @Test
  void endpointRefusingConnections_isSkipped() throws IOException {
    InetSocketAddress refusing = new InetSocketAddress("127.0.0.34", freePort("127.0.0.34"));
    proxy.endpoints(List.of(refusing, b.address()));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try (Client client = new Client()) {
        answers.add(client.ask("hello"));
      }
    }

    assertThat(answers).containsOnly("b:hello").hasSize(4);
  }

  @Test
  void connection_withNoEndpoints_isClosedAtOnce() throws IOException {
    try (Client client = new Client()) {
      assertThat(client.socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void changedEndpoints_serveTheNextConnection() throws IOException {
    proxy.endpoints(List.of(a.address()));
    try (Client client = new Client()) {
      assertThat(client.ask("before")).isEqualTo("a:before");
    }

    proxy.endpoints(List.of(b.address()));

    try (Client client = new Client()) {
      assertThat(client.ask("after")).isEqualTo("b:after");
    }
  }

  @Test
  void close_closesTheOpenConnections() throws IOException {
    proxy.endpoints(List.of(a.address()));
    try (Client client = new Client()) {
      assertThat(client.ask("open")).isEqualTo("a:open");

      proxy.close();

      assertThat(client.in.readLine()).isNull();
    }
  }

  @Test
  void close_stopsListening() throws IOException {
    proxy.close();

    assertThatThrownBy(() -> new Socket(SERVICE_IP, port).close())
        .isInstanceOf(ConnectException.class);
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  private static int freePort(String ip) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
      return socket.getLocalPort();
    }
  }

  /** A connection to the Service's address, with a bound on every read. */
  private final class Client implements AutoCloseable {
    final Socket socket = new Socket();
    final BufferedReader in;
    final PrintWriter out;

    Client() throws IOException {
      socket.connect(new InetSocketAddress(SERVICE_IP, port), 5_000);
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    String ask(String line) throws IOException {
      out.println(line);
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A pod's server: answers each line with its name and the line. */
  private static final class EchoBackend implements AutoCloseable {
    private final String name;
    private final ServerSocket server;

    EchoBackend(String name, String ip) throws IOException {
      this.name = name;
      this.server = new ServerSocket(0, 50, InetAddress.getByName(ip));
      Thread accept = new Thread(this::accept, "echo-" + name);
      accept.setDaemon(true);
      accept.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread echo = new Thread(() -> echo(socket), "echo-" + name + "-connection");
          echo.setDaemon(true);
          echo.start();
        } catch (IOException e) {
          // closed: the test is over
        }
      }
    }

    private void echo(Socket socket) {
      try (socket;
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out =
              new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          out.println(name + ":" + line);
        }
      } catch (IOException e) {
        // the proxy closed the connection
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
