package io.pipeserve.runtime.predictor.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipeserve servers: the front pipeline's {@code remote} op calls the back pipeline over the
 * Open Inference Protocol (gRPC, on the back server's grpcPort), and a Paddle client calls the
 * front.
 */
class RemoteOpEndToEndTest {
  private static final String REQUEST =
      "{\"tensors\":[{\"name\":\"x\",\"elem_type\":1,\"shape\":[1,3],\"float_data\":[1,2,3]}]}";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<PipelineServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(Duration.ofSeconds(1)));
  }

  /** The back server: pipeline "scaler", whose op "affine" answers y = 2x + 1 for x [-1, 3]. */
  private PipelineServer startBack() {
    Path model = TestModels.affine(dir, 3, 2f, 1f);
    return start(
        """
        server: {name: scaler, httpPort: 0, grpcPort: 0, workers: 1}
        ops: [{name: affine, model: %s}]
        """
            .formatted(model.getFileName()));
  }

  private PipelineServer startFront(int backGrpcPort, String remoteModel) {
    return start(
        """
        server: {name: front, httpPort: 0, grpcPort: 0, workers: 1}
        ops:
          - name: remote
            kind: remote
            remote: {endpoints: ["127.0.0.1:%d"], model: %s}
            timeoutMs: 5000
        """
            .formatted(backGrpcPort, remoteModel));
  }

  private PipelineServer start(String yaml) {
    PipelineServer server = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
    servers.add(server);
    return server;
  }

  @Test
  void remoteOp_callsTheBackPipelineAsAModel_overOipGrpc() throws Exception {
    PipelineServer back = startBack();
    PipelineServer front = startFront(back.grpcPort(), "scaler");

    JsonObject body = post(front, REQUEST);

    assertThat(body.getInteger("err_no")).as(body.encode()).isZero();
    JsonObject y = tensor(body, "y");
    assertThat(y.getJsonArray("shape")).containsExactly(1, 3);
    assertThat(floats(y)).containsExactly(3f, 5f, 7f);
  }

  @Test
  void remoteOp_callsAnOpOfTheBackPipelineAsItsOwnModel() throws Exception {
    PipelineServer back = startBack();
    PipelineServer front = startFront(back.grpcPort(), "affine");

    JsonObject body = post(front, REQUEST);

    assertThat(body.getInteger("err_no")).as(body.encode()).isZero();
    assertThat(floats(tensor(body, "y"))).containsExactly(3f, 5f, 7f);
  }

  @Test
  void backPipelineError_isTheFrontOpsError_withTheBacksMessage() throws Exception {
    PipelineServer back = startBack();
    PipelineServer front = startFront(back.grpcPort(), "scaler");

    // [1, 4] is the wrong shape for the back model's x [-1, 3]: refused by the front's check of
    // the back's metadata, or by the back itself (INVALID_ARGUMENT); either way an input error.
    JsonObject body =
        post(
            front,
            "{\"tensors\":[{\"name\":\"x\",\"elem_type\":1,\"shape\":[1,4],"
                + "\"float_data\":[1,2,3,4]}]}");

    assertThat(body.getInteger("err_no")).isEqualTo(5000);
    assertThat(body.getString("err_msg")).contains("op 'remote'", "remote model 'scaler'");
    assertThat(floats(tensor(post(front, REQUEST), "y"))).containsExactly(3f, 5f, 7f);
  }

  private JsonObject post(PipelineServer server, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/front/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(20))
            .build();
    return new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  private static JsonObject tensor(JsonObject body, String name) {
    JsonArray tensors = body.getJsonArray("tensors");
    for (int i = 0; i < tensors.size(); i++) {
      if (tensors.getJsonObject(i).getString("name").equals(name)) {
        return tensors.getJsonObject(i);
      }
    }
    throw new AssertionError("no tensor '" + name + "' in " + body.encode());
  }

  private static List<Float> floats(JsonObject tensor) {
    return tensor.getJsonArray("float_data").stream().map(v -> ((Number) v).floatValue()).toList();
  }
}
