package io.pipeserve.operator.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The operator's own HTTP port: {@code /healthz} (liveness: its informers are healthy, so a restart
 * would not help), {@code /readyz} (started and every informer synced and watching) and {@code
 * /metrics} (Prometheus: reconciliations, their errors and durations, the JVM).
 */
public final class OperatorEndpoints implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private OperatorEndpoints(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves {@code operator}'s health and {@code registry}'s metrics on {@code port} (0: any). */
  public static OperatorEndpoints start(
      int port, Operator operator, PrometheusMeterRegistry registry) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on port " + port + " for probes and metrics", e);
    }
    server.createContext(
        "/healthz",
        exchange ->
            probe(
                exchange,
                () ->
                    // Only a running operator has informers to judge; a replica waiting for the
                    // lease is alive all the same.
                    !operator.getRuntimeInfo().isStarted()
                            || operator.getRuntimeInfo().allEventSourcesAreHealthy()
                        ? null
                        : unhealthy(operator)));
    server.createContext(
        "/readyz",
        exchange ->
            probe(
                exchange,
                () ->
                    !operator.getRuntimeInfo().isStarted()
                        ? "not started"
                        : operator.getRuntimeInfo().allEventSourcesAreHealthy()
                            ? null
                            : unhealthy(operator)));
    server.createContext(
        "/metrics",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          reply(exchange, 200, registry.scrape());
        });
    ExecutorService executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.start();
    return new OperatorEndpoints(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static String unhealthy(Operator operator) {
    return "unhealthy event sources: " + operator.getRuntimeInfo().unhealthyEventSources();
  }

  private static void probe(HttpExchange exchange, java.util.function.Supplier<String> failure)
      throws IOException {
    String why;
    try {
      why = failure.get();
    } catch (RuntimeException e) {
      why = "cannot tell: " + e;
    }
    reply(exchange, why == null ? 200 : 503, why == null ? "ok" : why);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
