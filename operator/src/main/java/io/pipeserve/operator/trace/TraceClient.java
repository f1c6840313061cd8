package io.pipeserve.operator.trace;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The trace protocol over HTTP, client side: {@code GET|POST /v2/trace/setting} and {@code
 * /v2/models/{op}/trace/setting} of one pod.
 */
public final class TraceClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> BODY = new TypeReference<>() {};

  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param timeout the limit of one request, connection included
   */
  public TraceClient(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The settings of {@code scope} ({@link TracePlan#GLOBAL} or an op) on {@code pod}. */
  public Map<String, Object> get(TargetPod pod, String scope)
      throws IOException, InterruptedException {
    return send(pod, scope, HttpRequest.newBuilder(uri(pod, scope)).GET());
  }

  /** Changes the settings of {@code scope} on {@code pod}; returns them as changed. */
  public Map<String, Object> post(TargetPod pod, String scope, Map<String, Object> body)
      throws IOException, InterruptedException {
    return send(
        pod,
        scope,
        HttpRequest.newBuilder(uri(pod, scope))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(TracePlan.json(body))));
  }

  private Map<String, Object> send(TargetPod pod, String scope, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpRequest built = request.timeout(timeout).build();
    HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          built.method()
              + " "
              + path(scope)
              + " answered "
              + response.statusCode()
              + ": "
              + TracePlan.utf8(response.body()));
    }
    return JSON.readValue(response.body(), BODY);
  }

  private static URI uri(TargetPod pod, String scope) {
    String host = pod.ip().contains(":") ? "[" + pod.ip() + "]" : pod.ip();
    return URI.create("http://" + host + ":" + pod.adminPort() + path(scope));
  }

  static String path(String scope) {
    return scope.isEmpty()
        ? "/v2/trace/setting"
        : "/v2/models/" + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "/trace/setting";
  }
}
