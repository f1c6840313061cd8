package io.pipeserve.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin port of a runtime pod, speaking the trace protocol as the runtime's TraceRoutes do (the
 * runtime, on Vert.x 5, cannot share this classpath): {@code GET|POST /v2/trace/setting} and {@code
 * /v2/models/{model}/trace/setting}; values are strings, trace_level an array, null clears a
 * setting (an op's then follows the global one, a global one its start-up value); trace_file cannot
 * be changed (501); a value of the wrong type is refused (400). It listens on its own loopback
 * address, as a pod on its pod IP.
 */
public final class FakeRuntime implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SETTINGS =
      List.of("trace_level", "trace_rate", "trace_count", "log_frequency");

  private final HttpServer server;
  private final Map<String, Object> startup;
  private final Map<String, Object> global = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> models = new LinkedHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  private FakeRuntime(HttpServer server, Map<String, Object> startup, List<String> models) {
    this.server = server;
    this.startup = startup;
    for (String model : models) {
      this.models.put(model, new LinkedHashMap<>());
    }
  }

  /**
   * Starts a runtime on {@code ip:port} whose ops are {@code ops}, with Triton's start-up settings
   * (tracing OFF, triton mode with file {@code trace.json}).
   */
  public static FakeRuntime start(String ip, int port, List<String> ops) throws IOException {
    Map<String, Object> startup = new LinkedHashMap<>();
    startup.put("trace_level", List.of("OFF"));
    startup.put("trace_rate", "1000");
    startup.put("trace_count", "-1");
    startup.put("log_frequency", "0");
    startup.put("trace_file", "trace.json");
    startup.put("trace_mode", "triton");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), port), 0);
    FakeRuntime runtime = new FakeRuntime(server, startup, ops);
    server.createContext("/v2/", runtime::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return runtime;
  }

  /** The next {@code n} requests fail with 503, as a pod that is busy or restarting. */
  public void failNext(int n) {
    failuresLeft.set(n);
  }

  /** Every request served: "METHOD path body". */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** What GET of {@code model}'s settings shows; null for the global ones. */
  public synchronized Map<String, Object> view(String model) {
    Map<String, Object> view = new LinkedHashMap<>(startup);
    view.putAll(global);
    if (model != null) {
      view.putAll(models.get(model));
    }
    return view;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.add(
        exchange.getRequestMethod() + " " + path + " " + new String(body, StandardCharsets.UTF_8));
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      reply(exchange, 503, Map.of("error", "unavailable"));
      return;
    }
    String model = null;
    if (path.startsWith("/v2/models/") && path.endsWith("/trace/setting")) {
      model = path.substring("/v2/models/".length(), path.length() - "/trace/setting".length());
      if (!models.containsKey(model)) {
        reply(exchange, 400, Map.of("error", "Request for unknown model : " + model));
        return;
      }
    } else if (!path.equals("/v2/trace/setting")) {
      reply(exchange, 404, Map.of("error", "not found"));
      return;
    }
    if (exchange.getRequestMethod().equals("POST")) {
      String failure = change(model, body);
      if (failure != null) {
        reply(exchange, failure.startsWith("trace_file") ? 501 : 400, Map.of("error", failure));
        return;
      }
    }
    reply(exchange, 200, view(model));
  }

  private synchronized String change(String model, byte[] body) throws IOException {
    JsonNode json = JSON.readTree(body);
    if (!(json instanceof ObjectNode object)) {
      return "the body is not a JSON object of trace settings";
    }
    Map<String, Object> scope = model == null ? global : models.get(model);
    Map<String, Object> next = new LinkedHashMap<>(scope);
    for (var entry : object.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (key.equals("trace_file")) {
        return "trace_file: trace file location can not be updated through network protocol";
      }
      if (!SETTINGS.contains(key)) {
        return "unknown trace setting '" + key + "'";
      }
      if (value.isNull()) {
        next.remove(key);
      } else if (key.equals("trace_level") && value.isArray()) {
        List<String> levels = new ArrayList<>();
        value.forEach(v -> levels.add(v.asText()));
        next.put(key, levels);
      } else if (value.isTextual() && !key.equals("trace_level")) {
        next.put(key, value.asText());
      } else {
        return key + ": trace setting values are strings, got " + value;
      }
    }
    scope.clear();
    scope.putAll(next);
    return null;
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
