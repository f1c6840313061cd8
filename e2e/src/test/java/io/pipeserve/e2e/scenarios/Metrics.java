package io.pipeserve.e2e.scenarios;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A runtime pod's Prometheus metrics ({@code GET /metrics} on its HTTP port). */
final class Metrics {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Metrics() {}

  /**
   * How many samples op {@code op} has processed in the pod at {@code address}: the count of its
   * {@code pipeserve_op_latency_seconds} histogram.
   */
  static long samples(InetSocketAddress address, String op)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://" + address.getHostString() + ":" + address.getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET /metrics: HTTP " + response.statusCode());
    }
    long samples = 0;
    for (String line : response.body().split("\n")) {
      if (line.startsWith("pipeserve_op_latency_seconds_count{")
          && line.contains("op=\"" + op + "\"")) {
        samples += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return samples;
  }
}
