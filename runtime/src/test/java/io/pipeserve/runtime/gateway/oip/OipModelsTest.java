package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelInferResponse;
import io.pipeserve.proto.inference.ModelMetadataRequest;
import io.pipeserve.proto.inference.ModelMetadataResponse;
import io.pipeserve.runtime.gateway.oip.OipHttp.Answer;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline and its model ops as Open Inference Protocol models: two real ONNX models in a row,
 * {@code scale} (y = 2x + 1) then {@code shift} (z = y + 10), each a model of its own too.
 */
class OipModelsTest {
  @TempDir static Path dir;
  private static PipelineServer server;
  private static OipHttp http;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    Path scale = TestModels.affine(dir, 4, 2f, 1f);
    Path shift = TestModels.affine(dir, 4, 1f, 10f);
    server =
        PipelineServer.start(
            Specs.yaml(
                """
                server: {name: affine, httpPort: 0, grpcPort: 0, workers: 1}
                ops:
                  - {name: scale, kind: onnx, model: %s}
                  - {name: shift, inputs: [scale], kind: onnx, model: %s, feed: [y], fetch: [z]}
                """
                    .formatted(scale.getFileName(), shift.getFileName())),
            dir,
            "127.0.0.1");
    http = new OipHttp(server.httpPort());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(1));
  }

  private static String x(String shape, String data) {
    return "{\"inputs\":[{\"name\":\"%s\",\"datatype\":\"FP32\",\"shape\":%s,\"data\":%s}]}"
        .formatted("x", shape, data);
  }

  @Test
  void pipelineMetadata_listsTheFirstModelsInputsAndTheLastModelsOutputs() throws Exception {
    Answer answer = http.get("/v2/models/affine");

    assertThat(answer.json())
        .isEqualTo(
            new JsonObject(
                """
                {"name": "affine", "versions": ["1"], "platform": "pipeserve_pipeline",
                 "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 4]}],
                 "outputs": [{"name": "z", "datatype": "FP32", "shape": [-1, 4]}]}
                """));
  }

  @Test
  void opMetadata_isItsModelsUnderTheFieldNamesItFeedsAndFetches() throws Exception {
    Answer scale = http.get("/v2/models/scale/versions/1");
    ModelMetadataResponse shift =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("shift").build());

    assertThat(scale.json())
        .isEqualTo(
            new JsonObject(
                """
                {"name": "scale", "versions": ["1"], "platform": "onnxruntime_onnx",
                 "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 4]}],
                 "outputs": [{"name": "y", "datatype": "FP32", "shape": [-1, 4]}]}
                """));
    assertThat(shift.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(shift.getVersionsList()).containsExactly("1");
    assertThat(shift.getInputs(0).getName()).isEqualTo("y");
    assertThat(shift.getInputs(0).getShapeList()).containsExactly(-1L, 4L);
    assertThat(shift.getOutputs(0).getName()).isEqualTo("z");
    assertThat(shift.getOutputs(0).getDatatype()).isEqualTo("FP32");
  }

  @Test
  void pipelineInfer_runsEveryOp() throws Exception {
    Answer answer = http.post("/v2/models/affine/infer", x("[2,4]", "[[1,2,3,4],[0,0,0,0]]"));

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    assertThat(answer.json().getJsonArray("outputs")).hasSize(1);
    assertThat(answer.output(0).getString("name")).isEqualTo("z");
    assertThat(answer.output(0).getJsonArray("shape")).containsExactly(2, 4);
    assertThat(answer.output(0).getJsonArray("data"))
        .containsExactly(13.0, 15.0, 17.0, 19.0, 11.0, 11.0, 11.0, 11.0);
  }

  @Test
  void opInfer_runsThatOpAlone() throws Exception {
    Answer scale = http.post("/v2/models/scale/infer", x("[1,4]", "[1,2,3,4]"));
    Answer shift =
        http.post(
            "/v2/models/shift/infer",
            "{\"inputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"data\":[1,2,3,4]}]}");

    assertThat(scale.json().getString("model_name")).isEqualTo("scale");
    assertThat(scale.output(0).getString("name")).isEqualTo("y");
    assertThat(scale.output(0).getJsonArray("data")).containsExactly(3.0, 5.0, 7.0, 9.0);
    assertThat(shift.output(0).getString("name")).isEqualTo("z");
    assertThat(shift.output(0).getJsonArray("data")).containsExactly(11.0, 12.0, 13.0, 14.0);
  }

  @Test
  void rawFp32_goesIntoOnnxRuntimeAndBack() {
    float[] x = {1, 2, 3, 4, -1, -2, -3, -4};
    ByteBuffer raw = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(x);

    ModelInferResponse response =
        stub.modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName("affine")
                .addInputs(
                    ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("x")
                        .setDatatype("FP32")
                        .addShape(2)
                        .addShape(4))
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build());

    FloatBuffer z =
        response
            .getRawOutputContents(0)
            .asReadOnlyByteBuffer()
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
    float[] out = new float[z.remaining()];
    z.get(out);
    assertThat(response.getOutputs(0).getName()).isEqualTo("z");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
    assertThat(out).containsExactly(13, 15, 17, 19, 9, 7, 5, 3);
  }

  @Test
  void inputNotFittingTheModel_is400NamingTheModelsShape() throws Exception {
    Answer shape = http.post("/v2/models/scale/infer", x("[1,3]", "[1,2,3]"));
    Answer type =
        http.post(
            "/v2/models/scale/infer",
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1,4],"
                + "\"data\":[1,2,3,4]}]}");

    assertThat(shape.status()).isEqualTo(400);
    assertThat(shape.error()).contains("model input 'x' takes shape [-1, 4] (-1: any), got [1, 3]");
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.error()).contains("model input 'x' takes FP32, got FP64");
    assertThat(http.post("/v2/models/scale/infer", x("[1,4]", "[0,0,0,0]")).status())
        .isEqualTo(200);
  }

  @Test
  void unknownModel_namesEveryModelServed() throws Exception {
    Answer answer = http.get("/v2/models/nope");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error())
        .isEqualTo("unknown model 'nope'; this server serves 'affine', 'scale', 'shift'");
  }
}
