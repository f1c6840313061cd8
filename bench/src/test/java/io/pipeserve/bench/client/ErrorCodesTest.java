package io.pipeserve.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.testing.TestServers;
import io.pipeserve.proto.paddle.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorCodesTest {
  static final LoadSpec SPEC =
      LoadSpec.closed(2, Duration.ofMillis(100), Duration.ofMillis(700)).withIoThreads(1);

  @Test
  void http429_isCountedUnderItsStatusAndErrNo() throws Exception {
    try (TestServers servers = new TestServers()) {
      int port = servers.httpRefusingEvery(3);
      HttpTarget target =
          new HttpTarget(
              URI.create("http://127.0.0.1:" + port + "/ocr/prediction"), Buffer.buffer("{}"));

      Result r = LoadGenerator.run(SPEC, target);

      assertThat(r.errors()).containsOnlyKeys("http 429 err_no 3001");
      long refused = r.errors().get("http 429 err_no 3001");
      assertThat(refused).isGreaterThan(0);
      assertThat(r.ok() + refused).isEqualTo(r.requests());
      // Every third request is refused; the window may cut the sequence at either end.
      assertThat(refused).isBetween(r.requests() / 3 - 2, r.requests() / 3 + 2);
      assertThat(r.errorLatency().count()).isEqualTo(refused);
    }
  }

  @Test
  void grpcResourceExhausted_isCountedUnderItsStatusAndErrNo() throws Exception {
    try (TestServers servers = new TestServers()) {
      int port = servers.grpcRefusingEvery(4);
      GrpcTarget target =
          new GrpcTarget(
              SocketAddress.inetSocketAddress(port, "127.0.0.1"),
              Request.newBuilder().addKey("a").addValue("b").build());

      Result r = LoadGenerator.run(SPEC, target);

      assertThat(r.errors()).containsOnlyKeys("grpc RESOURCE_EXHAUSTED err_no 3001");
      assertThat(r.ok()).isGreaterThan(0);
      assertThat(r.ok() + r.errors().get("grpc RESOURCE_EXHAUSTED err_no 3001"))
          .isEqualTo(r.requests());
    }
  }

  @Test
  void refusedConnection_isAnIoError() {
    // Port 1 on loopback: nothing listens there.
    HttpTarget target = new HttpTarget(URI.create("http://127.0.0.1:1/x"), Buffer.buffer("{}"));
    LoadSpec spec = LoadSpec.open(20, 4, Duration.ZERO, Duration.ofMillis(500)).withIoThreads(1);

    Result r = LoadGenerator.run(spec, target);

    assertThat(r.ok()).isZero();
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().keySet().iterator().next()).startsWith("io ");
  }
}
