package io.pipeserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.baseline.BaselineResponse;
import io.pipeserve.bench.baseline.BaselineServer;
import io.pipeserve.bench.client.GrpcTarget;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.proto.paddle.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
  static BaselineServer server;

  @BeforeAll
  static void startBaseline() {
    server = BaselineServer.start(0, 0, BaselineResponse.defaults());
  }

  @AfterAll
  static void stopBaseline() {
    server.close();
  }

  static LoadSpec oneSecond(int clients) {
    return LoadSpec.closed(clients, Duration.ofMillis(200), Duration.ofSeconds(1)).withIoThreads(2);
  }

  @Test
  void httpClosedLoop_countsEveryRequestWithoutErrors() {
    HttpTarget target =
        new HttpTarget(
            URI.create("http://127.0.0.1:" + server.httpPort() + "/ocr/prediction"),
            Buffer.buffer("{\"key\":[\"a\"],\"value\":[\"b\"]}"));

    Result r = LoadGenerator.run(oneSecond(4), target);

    // More requests than clients: each client sent again on its answer. (Not a rate: a loaded
    // machine may serve only a few dozen in the second.)
    assertThat(r.requests()).isGreaterThan(2 * 4);
    assertThat(r.ok()).isEqualTo(r.requests());
    assertThat(r.errors()).isEmpty();
    assertThat(r.latency().count()).isEqualTo(r.ok());
    assertThat(r.throughput()).isEqualTo(r.ok() / 1.0);
    assertPercentilesOrdered(r.latency());
  }

  @Test
  void grpcClosedLoop_countsEveryRequestWithoutErrors() {
    GrpcTarget target =
        new GrpcTarget(
            SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1"),
            Request.newBuilder().addKey("a").addValue("b").build());

    Result r = LoadGenerator.run(oneSecond(4), target);

    // More requests than clients: each client sent again on its answer. (Not a rate: a loaded
    // machine may serve only a few dozen in the second.)
    assertThat(r.requests()).isGreaterThan(2 * 4);
    assertThat(r.ok()).isEqualTo(r.requests());
    assertThat(r.errors()).isEmpty();
    assertPercentilesOrdered(r.latency());
  }

  static void assertPercentilesOrdered(Latency l) {
    assertThat(l.p50()).isPositive();
    assertThat(l.p50()).isLessThanOrEqualTo(l.p90());
    assertThat(l.p90()).isLessThanOrEqualTo(l.p99());
    assertThat(l.p99()).isLessThanOrEqualTo(l.max());
  }
}
