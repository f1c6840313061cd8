package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelInferResponse;
import io.pipeserve.runtime.gateway.oip.OipHttp.Answer;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.step.OcrExample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OCR example (examples/ocr/pipeline.yaml, the real PP-OCR models) called over the Open
 * Inference Protocol: the image file in as bytes, the text out as the BYTES output {@code res}.
 */
class OipOcrTest {
  private static PipelineServer server;
  private static OipHttp http;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    PipelineSpec spec = SpecLoader.loadValid(OcrExample.DIR.resolve("pipeline.yaml"));
    ServerSpec s = spec.server();
    PipelineSpec onFreePorts =
        new PipelineSpec(
            new ServerSpec(s.name(), 0, 0, null, 1, s.maxBodyBytes(), s.pluginDir()),
            spec.dag(),
            spec.ops(),
            spec.trace());
    server = PipelineServer.start(onFreePorts, OcrExample.DIR, "127.0.0.1");
    http = new OipHttp(server.httpPort());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(5));
  }

  private static Path image(String name) {
    return OcrExample.IMAGES.resolve(name);
  }

  private static List<String> texts(String res) {
    JsonArray lines = new JsonArray(res);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      texts.add(lines.getJsonObject(i).getString("text"));
    }
    return texts;
  }

  @Test
  void rest_imageAsUint8BinaryData_readsEveryLine() throws Exception {
    // As the README's curl sends it: the file's bytes as a 1-D UINT8 tensor.
    byte[] png = Files.readAllBytes(image("notice.png"));
    String request =
        ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[%d],"
                + "\"parameters\":{\"binary_data_size\":%d}}]}")
            .formatted(png.length, png.length);

    Answer answer = http.postBinary("/v2/models/ocr/infer", request, png);

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    JsonObject res = answer.output(0);
    assertThat(res.getString("name")).isEqualTo("res");
    assertThat(res.getString("datatype")).isEqualTo("BYTES");
    assertThat(res.getJsonArray("shape")).containsExactly(1);
    assertThat(texts(res.getJsonArray("data").getString(0)))
        .isEqualTo(OcrExample.expectedLines(image("notice.png")));
  }

  @Test
  void rest_imageAsOneBytesElement_readsEveryLine() throws Exception {
    byte[] png = Files.readAllBytes(image("menu.png"));
    byte[] element =
        ByteBuffer.allocate(4 + png.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(png.length)
            .put(png)
            .array();
    String request =
        ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"parameters\":{\"binary_data_size\":%d}}]}")
            .formatted(element.length);

    Answer answer = http.postBinary("/v2/models/ocr/infer", request, element);

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    assertThat(texts(answer.output(0).getJsonArray("data").getString(0)))
        .isEqualTo(OcrExample.expectedLines(image("menu.png")));
  }

  @Test
  void grpc_imageAsRawBytesElement_readsEveryLine() throws Exception {
    byte[] png = Files.readAllBytes(image("thanks.png"));
    ByteBuffer element =
        ByteBuffer.allocate(4 + png.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(png.length)
            .put(png);

    ModelInferResponse response =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName("ocr")
                    .addInputs(
                        ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("image")
                            .setDatatype("BYTES")
                            .addShape(1))
                    .addRawInputContents(ByteString.copyFrom(element.array()))
                    .build());

    ByteBuffer res =
        response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    byte[] text = new byte[res.getInt()];
    res.get(text);
    assertThat(response.getOutputs(0).getName()).isEqualTo("res");
    assertThat(texts(new String(text, StandardCharsets.UTF_8)))
        .isEqualTo(OcrExample.expectedLines(image("thanks.png")));
  }

  @Test
  void opModels_areTheThreeOcrModels() throws Exception {
    for (String op : List.of("det", "cls", "rec")) {
      Answer answer = http.get("/v2/models/" + op);
      assertThat(answer.status()).isEqualTo(200);
      // Their steps decide what they read and write: nothing is guessed.
      assertThat(answer.json().getString("platform")).isEqualTo("pipeserve_op");
    }
  }
}
