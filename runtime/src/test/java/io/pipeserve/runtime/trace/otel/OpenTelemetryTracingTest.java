package io.pipeserve.runtime.trace.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.pipeserve.proto.paddle.PipelineServiceGrpc;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.pipeserve.runtime.trace.otel.OtlpReceiver.Received;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests traced in opentelemetry mode arrive as OTLP spans at a real OTLP/HTTP receiver. */
class OpenTelemetryTracingTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";
  private static final String BODY = "{\"key\":[\"text\"],\"value\":[\"x\"],\"logid\":7}";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceiver receiver;
  private PipelineServer server;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
    receiver.close();
  }

  private void start(int rate) {
    server =
        PipelineServer.start(
            Specs.yaml(
                """
                server: {name: p, httpPort: 0, grpcPort: 0, workers: 1}
                ops:
                  - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
                  - {name: b, inputs: [a], kind: java, className: %1$s, params: {suffix: "-b"}}
                trace:
                  mode: opentelemetry
                  level: [TIMESTAMPS]
                  rate: %2$d
                  opentelemetry: {url: "%3$s", resource: [team=ml], bspScheduleDelay: 50}
                """
                    .formatted(TestOps.Append.class.getName(), rate, receiver.url())),
            dir,
            "127.0.0.1");
  }

  private int post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static List<Received> roots(OtlpReceiver receiver) {
    return receiver.spans().stream().filter(s -> s.name().equals("p infer")).toList();
  }

  private static Received only(List<Received> spans, String name) {
    List<Received> named = spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).as("spans named %s", name).hasSize(1);
    return named.get(0);
  }

  private static List<Received> childrenOf(List<Received> spans, Received parent) {
    return spans.stream()
        .filter(s -> s.span().getParentSpanId().equals(parent.span().getSpanId()))
        .toList();
  }

  private static List<String> events(Received span) {
    return span.span().getEventsList().stream().map(Span.Event::getName).toList();
  }

  private static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  /** The spans of the one trace that reached the receiver, once its root and both ops are in. */
  private List<Received> oneTrace() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> receiver.spans().size() >= 1 + 2 * 6 && roots(receiver).size() == 1);
    return receiver.spans();
  }

  @Test
  void aTracedRequest_isARootSpanWithASpanPerOpAndItsComputeStagesInside() throws Exception {
    start(1);

    assertThat(post("/p/prediction", BODY)).isEqualTo(200);

    List<Received> spans = oneTrace();
    Received root = only(spans, "p infer");
    assertThat(root.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(root.span().getParentSpanId()).isEmpty();
    assertThat(childrenOf(spans, root)).extracting(Received::name).containsExactly("a", "b");
    for (String op : List.of("a", "b")) {
      Received opSpan = only(childrenOf(spans, root), op);
      assertThat(childrenOf(spans, opSpan))
          .extracting(Received::name)
          .containsExactlyInAnyOrder("queue", "compute");
      Received compute = only(childrenOf(spans, opSpan), "compute");
      assertThat(childrenOf(spans, compute))
          .extracting(Received::name)
          .containsExactlyInAnyOrder("preprocess", "infer", "postprocess");
      assertThat(events(opSpan))
          .containsExactly(
              TimestampNames.REQUEST_START,
              TimestampNames.QUEUE_START,
              TimestampNames.COMPUTE_START,
              TimestampNames.COMPUTE_INPUT_END,
              TimestampNames.COMPUTE_OUTPUT_START,
              TimestampNames.COMPUTE_END,
              TimestampNames.REQUEST_END);
      assertThat(opSpan.span().getStartTimeUnixNano())
          .isGreaterThanOrEqualTo(root.span().getStartTimeUnixNano());
      assertThat(opSpan.span().getEndTimeUnixNano())
          .isLessThanOrEqualTo(root.span().getEndTimeUnixNano());
      assertThat(compute.span().getStartTimeUnixNano())
          .isGreaterThanOrEqualTo(opSpan.span().getStartTimeUnixNano());
    }
    assertThat(spans)
        .allSatisfy(s -> assertThat(s.span().getTraceId()).isEqualTo(root.span().getTraceId()));
  }

  @Test
  void theRootSpan_carriesEveryPipelineTimestampAsAnEventAndTheRequestsAttributes()
      throws Exception {
    start(1);
    long before = System.currentTimeMillis() * 1_000_000;

    post("/p/prediction", BODY);

    Received root = only(oneTrace(), "p infer");
    assertThat(events(root))
        .containsSubsequence(
            TimestampNames.HTTP_RECV_START,
            TimestampNames.HTTP_RECV_END,
            TimestampNames.REQUEST_START,
            TimestampNames.INFER_RESPONSE_COMPLETE,
            TimestampNames.HTTP_SEND_START,
            TimestampNames.HTTP_SEND_END);
    assertThat(root.span().getAttributesList())
        .extracting(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
        .contains("pipeline=p", "log_id=7");
    // Steady-clock timestamps arrive as wall-clock time.
    assertThat(root.span().getStartTimeUnixNano())
        .isBetween(before - 1_000_000_000L, System.currentTimeMillis() * 1_000_000);
    assertThat(root.resource()).containsEntry("team", "ml").containsKey("service.name");
  }

  @Test
  void spans_carryTheRequestsDataIdAndEachOpsBatchAndWorker() throws Exception {
    start(1);

    post("/p/prediction", BODY);

    List<Received> spans = oneTrace();
    assertThat(intAttributes(only(spans, "p infer"))).containsKey("data_id");
    assertThat(intAttributes(only(spans, "p infer")).get("data_id")).isPositive();
    for (String op : List.of("a", "b")) {
      assertThat(intAttributes(only(spans, op)))
          .containsEntry("batch_size", 1L)
          .containsEntry("batch_items", 1L)
          .containsEntry("worker", 0L);
    }
  }

  private static Map<String, Long> intAttributes(Received span) {
    Map<String, Long> values = new HashMap<>();
    for (KeyValue kv : span.span().getAttributesList()) {
      if (kv.getValue().hasIntValue()) {
        values.put(kv.getKey(), kv.getValue().getIntValue());
      }
    }
    return values;
  }

  @Test
  void aTraceparentHeader_makesTheRootSpanContinueTheCallersTrace() throws Exception {
    start(1);

    post("/p/prediction", BODY, "traceparent", TRACEPARENT, "tracestate", "vendor=1");

    List<Received> spans = oneTrace();
    Received root = only(spans, "p infer");
    assertThat(hex(root.span().getTraceId())).isEqualTo(CALLER_TRACE);
    assertThat(hex(root.span().getParentSpanId())).isEqualTo(CALLER_SPAN);
    assertThat(root.span().getTraceState()).isEqualTo("vendor=1");
    assertThat(spans)
        .allSatisfy(s -> assertThat(hex(s.span().getTraceId())).isEqualTo(CALLER_TRACE));
  }

  @Test
  void traceparentGrpcMetadata_makesTheRootSpanContinueTheCallersTrace() throws Exception {
    start(1);
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);

    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      PipelineServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .inference(Request.newBuilder().addKey("text").addValue("g").setLogid(9).build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    Received root = only(oneTrace(), "p infer");
    assertThat(hex(root.span().getTraceId())).isEqualTo(CALLER_TRACE);
    assertThat(hex(root.span().getParentSpanId())).isEqualTo(CALLER_SPAN);
    assertThat(events(root))
        .contains(TimestampNames.GRPC_WAITREAD_START, TimestampNames.GRPC_SEND_END);
  }

  @Test
  void rateZero_tracesOnlyTheRequestsThatBringAValidContext() throws Exception {
    start(0);

    post("/p/prediction", BODY);
    post("/p/prediction", BODY, "traceparent", "00-not-a-valid-context-01");
    post("/p/prediction", BODY, "traceparent", TRACEPARENT);
    post("/p/prediction", BODY);
    server.stop(Duration.ofSeconds(5)); // exports what is queued
    server = null;

    assertThat(roots(receiver))
        .singleElement()
        .satisfies(root -> assertThat(hex(root.span().getTraceId())).isEqualTo(CALLER_TRACE));
  }

  @Test
  void aUrlChangedOverTheTraceProtocol_movesExportToTheNewReceiver() throws Exception {
    start(1);
    post("/p/prediction", BODY);
    await().atMost(Duration.ofSeconds(10)).until(() -> roots(receiver).size() == 1);

    try (OtlpReceiver second = OtlpReceiver.start()) {
      assertThat(post("/v2/trace/setting", "{\"url\":\"" + second.url() + "\"}")).isEqualTo(200);
      post("/p/prediction", BODY);
      post("/p/prediction", BODY);

      await().atMost(Duration.ofSeconds(10)).until(() -> roots(second).size() == 2);
      server.stop(Duration.ofSeconds(5));
      server = null;
      assertThat(roots(receiver)).hasSize(1);
      assertThat(roots(second)).hasSize(2);
    }
  }
}
