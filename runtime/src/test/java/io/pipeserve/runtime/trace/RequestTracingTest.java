package io.pipeserve.runtime.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pipeserve.proto.paddle.PipelineServiceGrpc;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestModels;
import io.pipeserve.runtime.testing.TestOps;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.pipeserve.runtime.trace.file.TraceEntry;
import io.pipeserve.runtime.trace.file.TraceFileReader;
import io.pipeserve.runtime.trace.file.TraceRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through the gateways and the executor leave Triton traces in the trace file. */
class RequestTracingTest {
  private static final List<String> OP_TIMESTAMPS =
      List.of(
          TimestampNames.REQUEST_START,
          TimestampNames.QUEUE_START,
          TimestampNames.COMPUTE_START,
          TimestampNames.COMPUTE_INPUT_END,
          TimestampNames.COMPUTE_OUTPUT_START,
          TimestampNames.COMPUTE_END,
          TimestampNames.REQUEST_END);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private PipelineServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private void start(String trace) {
    server =
        PipelineServer.start(
            Specs.yaml(
                """
                server: {name: p, httpPort: 0, grpcPort: 0, workers: 1}
                ops:
                  - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
                  - {name: b, inputs: [a], kind: java, className: %1$s, params: {suffix: "-b"}}
                trace: %2$s
                """
                    .formatted(TestOps.Append.class.getName(), trace)),
            dir,
            "127.0.0.1");
  }

  private String traceFile() {
    return dir.resolve("trace.json").toString();
  }

  private int post(String path, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private List<TraceRecord> tracesAfterStop() throws Exception {
    server.stop(Duration.ofSeconds(5));
    return TraceFileReader.read(Path.of(traceFile()));
  }

  private static List<String> names(TraceRecord trace) {
    return trace.entries().stream()
        .filter(e -> e instanceof TraceEntry.Timestamp)
        .map(e -> ((TraceEntry.Timestamp) e).name())
        .toList();
  }

  @Test
  void everyRequest_atRate1_leavesAPipelineTraceWithAChildPerOp() throws Exception {
    start("{level: [TIMESTAMPS], rate: 1, file: %s}".formatted(traceFile()));

    for (int i = 1; i <= 3; i++) {
      assertThat(
              post("/p/prediction", "{\"key\":[\"text\"],\"value\":[\"x\"],\"logid\":" + i + "}"))
          .isEqualTo(200);
    }
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      PipelineServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .inference(Request.newBuilder().addKey("text").addValue("g").setLogid(9).build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    List<TraceRecord> traces = tracesAfterStop();

    List<TraceRecord> pipelines = traces.stream().filter(t -> t.parentId().isEmpty()).toList();
    assertThat(pipelines).hasSize(4).allSatisfy(t -> assertThat(t.modelName()).isEqualTo("p"));
    assertThat(pipelines).extracting(TraceRecord::requestId).containsExactly("1", "2", "3", "9");
    assertThat(names(pipelines.get(0)))
        .containsSubsequence(
            TimestampNames.HTTP_RECV_START,
            TimestampNames.HTTP_RECV_END,
            TimestampNames.REQUEST_START,
            TimestampNames.INFER_RESPONSE_COMPLETE,
            TimestampNames.HTTP_SEND_START,
            TimestampNames.HTTP_SEND_END);
    assertThat(names(pipelines.get(3)))
        .containsSubsequence(
            TimestampNames.GRPC_WAITREAD_START,
            TimestampNames.GRPC_WAITREAD_END,
            TimestampNames.REQUEST_START,
            TimestampNames.GRPC_SEND_START,
            TimestampNames.GRPC_SEND_END);
    for (TraceRecord pipeline : pipelines) {
      List<TraceRecord> children =
          traces.stream()
              .filter(t -> t.parentId().isPresent() && t.parentId().getAsLong() == pipeline.id())
              .toList();
      assertThat(children).extracting(TraceRecord::modelName).containsExactly("a", "b");
      for (TraceRecord child : children) {
        assertThat(names(child)).containsExactlyElementsOf(OP_TIMESTAMPS);
        List<Long> ns = OP_TIMESTAMPS.stream().map(n -> child.timestamps().get(n)).toList();
        assertThat(ns).isSorted();
      }
    }
  }

  @Test
  void rate_tracesOneRequestInEveryN() throws Exception {
    start("{level: [TIMESTAMPS], rate: 2, file: %s}".formatted(traceFile()));

    for (int i = 0; i < 6; i++) {
      post("/p/prediction", "{\"key\":[\"text\"],\"value\":[\"x\"]}");
    }

    assertThat(tracesAfterStop().stream().filter(t -> t.parentId().isEmpty())).hasSize(3);
  }

  @Test
  void levelOffSetOverTheProtocol_stopsTracingFromTheNextRequest() throws Exception {
    start("{level: [TIMESTAMPS], rate: 1, file: %s}".formatted(traceFile()));
    post("/p/prediction", "{\"key\":[\"text\"],\"value\":[\"x\"]}");

    assertThat(post("/v2/trace/setting", "{\"trace_level\":[\"OFF\"]}")).isEqualTo(200);
    post("/p/prediction", "{\"key\":[\"text\"],\"value\":[\"x\"]}");

    assertThat(tracesAfterStop().stream().filter(t -> t.parentId().isEmpty())).hasSize(1);
  }

  @Test
  void opLevelOff_leavesThatOpOutOfTheTrace() throws Exception {
    start("{level: [TIMESTAMPS], rate: 1, file: %s}".formatted(traceFile()));

    assertThat(post("/v2/models/a/trace/setting", "{\"trace_level\":[\"OFF\"]}")).isEqualTo(200);
    post("/p/prediction", "{\"key\":[\"text\"],\"value\":[\"x\"]}");

    assertThat(tracesAfterStop()).extracting(TraceRecord::modelName).containsExactly("p", "b");
  }

  @Test
  void tensorsLevel_recordsTheModelsInputsAndOutputs() throws Exception {
    Path model = TestModels.affine(dir, 2, 2f, 0f);
    server =
        PipelineServer.start(
            Specs.yaml(
                """
                server: {name: p, httpPort: 0, grpcPort: 0, workers: 1}
                ops: [{name: m, model: %s}]
                trace: {level: [TIMESTAMPS, TENSORS], rate: 1, file: %s}
                """
                    .formatted(model.getFileName(), traceFile())),
            dir,
            "127.0.0.1");

    post(
        "/p/prediction",
        "{\"tensors\":[{\"name\":\"x\",\"elem_type\":1,\"shape\":[1,2],\"float_data\":[1.5,2]}]}");

    TraceRecord m =
        tracesAfterStop().stream().filter(t -> t.modelName().equals("m")).findFirst().orElseThrow();
    Map<String, String> tensors =
        m.entries().stream()
            .filter(e -> e instanceof TraceEntry.Tensor)
            .map(e -> (TraceEntry.Tensor) e)
            .collect(
                Collectors.toMap(
                    t -> t.activity() + " " + t.tensor().name(), t -> t.tensor().data()));
    assertThat(tensors)
        .containsEntry(TimestampNames.TENSOR_QUEUE_INPUT + " x", "1.5,2")
        .containsEntry(TimestampNames.TENSOR_BACKEND_OUTPUT + " y", "3,4");
  }
}
