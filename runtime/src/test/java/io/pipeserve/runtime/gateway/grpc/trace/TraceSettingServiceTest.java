package io.pipeserve.runtime.gateway.grpc.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.pipeserve.proto.inference.TraceSettingRequest;
import io.pipeserve.proto.inference.TraceSettingResponse;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace protocol over gRPC with a stock grpc-java client: the cases of Triton's
 * trace_endpoint_test (get, update, clear with an empty value list), its errors and statuses.
 */
class TraceSettingServiceTest {
  private static final String PIPELINE =
      """
      server: {name: simple, httpPort: 0, grpcPort: 0, workers: 2}
      trace: {level: [TIMESTAMPS], rate: 1, count: -1, file: target/global_unittest.log}
      ops:
        - {name: det, kind: java, className: %1$s}
        - {name: rec, inputs: [det], kind: java, className: %1$s}
      """
          .formatted(TestOps.Append.class.getName());

  @TempDir Path dir;
  private PipelineServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  private GRPCInferenceServiceBlockingStub start(String yaml) {
    server = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** A request: model ("" = global) then key, value pairs; a null value clears (empty list). */
  private static TraceSettingRequest request(String model, String... keyValues) {
    TraceSettingRequest.Builder b = TraceSettingRequest.newBuilder().setModelName(model);
    for (int i = 0; i < keyValues.length; i += 2) {
      TraceSettingRequest.SettingValue.Builder v = TraceSettingRequest.SettingValue.newBuilder();
      if (keyValues[i + 1] != null) {
        v.addAllValue(List.of(keyValues[i + 1].split("\\|")));
      }
      b.putSettings(keyValues[i], v.build());
    }
    return b.build();
  }

  private static Map<String, List<String>> settings(TraceSettingResponse response) {
    return response.getSettingsMap().entrySet().stream()
        .collect(
            Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue().getValueList())));
  }

  private static Map<String, List<String>> triton(
      String level, String rate, String count, String logFrequency) {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("trace_level", List.of(level.split("\\|")));
    expected.put("trace_rate", List.of(rate));
    expected.put("trace_count", List.of(count));
    expected.put("log_frequency", List.of(logFrequency));
    expected.put("trace_file", List.of("target/global_unittest.log"));
    expected.put("trace_mode", List.of("triton"));
    return expected;
  }

  private static Status failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  @Test
  void get_isARequestWithNoSettings() {
    GRPCInferenceServiceBlockingStub stub = start(PIPELINE);

    assertThat(settings(stub.traceSetting(request(""))))
        .isEqualTo(triton("TIMESTAMPS", "1", "-1", "0"));
    assertThat(settings(stub.traceSetting(request("simple"))))
        .isEqualTo(triton("TIMESTAMPS", "1", "-1", "0"));
    Status unknown = failure(() -> stub.traceSetting(request("does-not-exist")));
    assertThat(unknown.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unknown.getDescription()).isEqualTo("Request for unknown model : does-not-exist");
  }

  @Test
  void update_modelThenGlobal_globalReachesWhatTheModelDoesNotSet() {
    GRPCInferenceServiceBlockingStub stub = start(PIPELINE);

    Status file = failure(() -> stub.traceSetting(request("det", "trace_file", "model.log")));
    assertThat(file.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(file.getDescription())
        .isEqualTo("trace file location can not be updated through network protocol");
    assertThat(settings(stub.traceSetting(request("det", "log_frequency", "2"))))
        .isEqualTo(triton("TIMESTAMPS", "1", "-1", "2"));
    assertThat(settings(stub.traceSetting(request("", "trace_level", "TIMESTAMPS|TENSORS"))))
        .isEqualTo(triton("TIMESTAMPS|TENSORS", "1", "-1", "0"));
    assertThat(settings(stub.traceSetting(request("det"))))
        .isEqualTo(triton("TIMESTAMPS|TENSORS", "1", "-1", "2"));
  }

  @Test
  void clear_withAnEmptyValueList_fallsBack() {
    GRPCInferenceServiceBlockingStub stub = start(PIPELINE);
    stub.traceSetting(request("simple", "trace_rate", "12", "log_frequency", "34"));
    stub.traceSetting(request("", "trace_rate", "56", "trace_count", "78", "trace_level", "OFF"));

    assertThat(settings(stub.traceSetting(request("", "trace_rate", null, "trace_count", null))))
        .isEqualTo(triton("OFF", "1", "-1", "0"));
    assertThat(settings(stub.traceSetting(request("simple"))))
        .isEqualTo(triton("OFF", "12", "-1", "34"));
    assertThat(
            settings(stub.traceSetting(request("simple", "trace_rate", null, "trace_level", null))))
        .isEqualTo(triton("OFF", "1", "-1", "34"));
    assertThat(settings(stub.traceSetting(request("")))).isEqualTo(triton("OFF", "1", "-1", "0"));
  }

  @Test
  void badValues_areInvalidArgumentNamingTheSetting() {
    GRPCInferenceServiceBlockingStub stub = start(PIPELINE);
    String[][] cases = {
      {"trace_rate", "abc"},
      {"trace_rate", "1|2"},
      {"trace_count", "-2"},
      {"log_frequency", "-1"},
      {"trace_level", "OFF|TENSORS"},
    };
    for (String[] c : cases) {
      Status status = failure(() -> stub.traceSetting(request("", c[0], c[1])));
      assertThat(status.getCode()).as(c[0] + "=" + c[1]).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).contains(c[0].equals("trace_level") ? "OFF" : c[0]);
    }
    assertThat(failure(() -> stub.traceSetting(request("", "trace_mode", "triton"))).getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(settings(stub.traceSetting(request(""))))
        .isEqualTo(triton("TIMESTAMPS", "1", "-1", "0"));
  }

  @Test
  void separateAdminPort_makesGrpcReadOnly() {
    GRPCInferenceServiceBlockingStub stub =
        start(PIPELINE.replace("workers: 2}", "workers: 2, adminPort: 0}"));

    Status denied = failure(() -> stub.traceSetting(request("", "trace_rate", "7")));

    assertThat(denied.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.getDescription()).contains("admin");
    assertThat(settings(stub.traceSetting(request(""))).get("trace_rate")).containsExactly("1");
  }
}
