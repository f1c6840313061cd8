package io.pipeserve.runtime.trace.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.trace.v1.Span;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.OpProcess;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.pipeserve.runtime.trace.otel.OtlpReceiver.Received;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In opentelemetry mode, an op in a process of its own is a span of the request's trace. */
class RemoteOpSpansTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceiver receiver;
  private PipelineServer gateway;
  private OpProcess replica;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(5));
    }
    if (replica != null) {
      replica.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void remoteOpSpan_liesUnderTheRequestsRoot_withTheNetworkLegsAsSpans() throws Exception {
    receiver = OtlpReceiver.start();
    int port = OpProcess.freePort("127.0.0.2");
    String yaml =
        """
        server: {name: p, httpPort: 0, grpcPort: 0, workers: 1}
        dag: {tracerIntervalSeconds: 0}
        ops:
          - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
          - name: b
            inputs: [a]
            kind: java
            className: %1$s
            params: {suffix: "-b"}
            endpoints: {addresses: ['127.0.0.2:%2$d']}
        trace:
          mode: opentelemetry
          level: [TIMESTAMPS]
          rate: 1
          opentelemetry: {url: "%3$s", bspScheduleDelay: 50}
        """
            .formatted(TestOps.Append.class.getName(), port, receiver.url());
    Path spec = Files.writeString(dir.resolve("p.yaml"), yaml);
    replica = OpProcess.start(spec, "b", "127.0.0.2", port).awaitReady();
    gateway = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
    await().atMost(Duration.ofSeconds(20)).until(gateway::isReady);

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.httpPort() + "/p/prediction"))
                .header("traceparent", TRACEPARENT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":[\"text\"],\"value\":[\"x\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> receiver.spans().stream().anyMatch(s -> s.name().equals("receive")));

    List<Received> spans = receiver.spans();
    Received root = named(spans, "p infer");
    Received b = named(spans, "b");
    assertThat(b.span().getParentSpanId()).isEqualTo(root.span().getSpanId());
    assertThat(children(spans, b))
        .extracting(Received::name)
        .containsExactlyInAnyOrder("send", "queue", "compute", "receive");
    assertThat(b.span().getEventsList().stream().map(Span.Event::getName))
        .contains(TimestampNames.CHANNEL_SEND_START, TimestampNames.CHANNEL_RECV_END);
    assertThat(spans)
        .allSatisfy(
            s ->
                assertThat(s.span().getTraceId().toByteArray())
                    .isEqualTo(java.util.HexFormat.of().parseHex(CALLER_TRACE)));
  }

  private static Received named(List<Received> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<Received> children(List<Received> spans, Received parent) {
    return spans.stream()
        .filter(s -> s.span().getParentSpanId().equals(parent.span().getSpanId()))
        .toList();
  }
}
