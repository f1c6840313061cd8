package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestModels;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open Inference Protocol requests leave the same Triton traces as Paddle requests do. */
class OipTracingTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String BODY =
      "{\"id\":\"5\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],"
          + "\"data\":[1,2]}]}";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private PipelineServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private void start(int rate) {
    Path a = TestModels.affine(dir, 2, 2f, 0f);
    Path b = TestModels.affine(dir, 2, 1f, 1f);
    server =
        PipelineServer.start(
            Specs.yaml(
                """
                server: {name: p, httpPort: 0, grpcPort: 0, workers: 1}
                ops:
                  - {name: a, model: %s}
                  - {name: b, inputs: [a], model: %s, feed: [y]}
                trace: {level: [TIMESTAMPS], rate: %d, file: %s}
                """
                    .formatted(a.getFileName(), b.getFileName(), rate, traceFile())),
            dir,
            "127.0.0.1");
  }

  private String traceFile() {
    return dir.resolve("trace.json").toString();
  }

  private int post(String model, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.httpPort() + "/v2/models/" + model + "/infer"))
            .POST(HttpRequest.BodyPublishers.ofString(BODY));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
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

  private static List<String> children(List<TraceRecord> traces, TraceRecord parent) {
    return traces.stream()
        .filter(t -> t.parentId().isPresent() && t.parentId().getAsLong() == parent.id())
        .map(TraceRecord::modelName)
        .toList();
  }

  @Test
  void restAndGrpcInfer_leaveAPipelineTraceWithAChildPerOp() throws Exception {
    start(1);

    assertThat(post("p")).isEqualTo(200);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .modelInfer(
              ModelInferRequest.newBuilder()
                  .setModelName("p")
                  .setId("6")
                  .addInputs(
                      ModelInferRequest.InferInputTensor.newBuilder()
                          .setName("x")
                          .setDatatype("FP32")
                          .addShape(1)
                          .addShape(2))
                  .addRawInputContents(ByteString.copyFrom(new byte[8]))
                  .build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    List<TraceRecord> traces = tracesAfterStop();

    List<TraceRecord> roots = traces.stream().filter(t -> t.parentId().isEmpty()).toList();
    assertThat(roots).extracting(TraceRecord::requestId).containsExactly("5", "6");
    assertThat(roots).allSatisfy(t -> assertThat(t.modelName()).isEqualTo("p"));
    assertThat(names(roots.get(0)))
        .containsSubsequence(
            TimestampNames.HTTP_RECV_START,
            TimestampNames.HTTP_RECV_END,
            TimestampNames.REQUEST_START,
            TimestampNames.INFER_RESPONSE_COMPLETE,
            TimestampNames.HTTP_SEND_START,
            TimestampNames.HTTP_SEND_END);
    assertThat(names(roots.get(1)))
        .containsSubsequence(
            TimestampNames.GRPC_WAITREAD_START,
            TimestampNames.GRPC_WAITREAD_END,
            TimestampNames.REQUEST_START,
            TimestampNames.GRPC_SEND_START,
            TimestampNames.GRPC_SEND_END);
    for (TraceRecord root : roots) {
      assertThat(children(traces, root)).containsExactly("a", "b");
    }
  }

  @Test
  void anOpServedAsAModel_tracesOnlyThatOp() throws Exception {
    start(1);

    assertThat(post("a")).isEqualTo(200);

    List<TraceRecord> traces = tracesAfterStop();
    TraceRecord root =
        traces.stream().filter(t -> t.parentId().isEmpty()).findFirst().orElseThrow();
    assertThat(children(traces, root)).containsExactly("a");
  }

  @Test
  void atRateZero_onlyARequestBringingATraceparentIsTraced() throws Exception {
    start(0);

    assertThat(post("p")).isEqualTo(200);
    assertThat(post("p", "traceparent", TRACEPARENT)).isEqualTo(200);
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .modelInfer(
              ModelInferRequest.newBuilder()
                  .setModelName("p")
                  .setId("8")
                  .addInputs(
                      ModelInferRequest.InferInputTensor.newBuilder()
                          .setName("x")
                          .setDatatype("FP32")
                          .addShape(1)
                          .addShape(2))
                  .addRawInputContents(ByteString.copyFrom(new byte[8]))
                  .build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    List<TraceRecord> roots =
        tracesAfterStop().stream().filter(t -> t.parentId().isEmpty()).toList();
    assertThat(roots).extracting(TraceRecord::requestId).containsExactly("5", "8");
  }
}
