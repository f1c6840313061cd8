package io.pipeserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.baseline.BaselineResponse;
import io.pipeserve.bench.baseline.BaselineServer;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.bench.testing.TestServers;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
  @Test
  void openLoop_sendsRateTimesDurationRequests() {
    try (BaselineServer server = BaselineServer.start(0, 0, BaselineResponse.defaults())) {
      HttpTarget target =
          new HttpTarget(
              URI.create("http://127.0.0.1:" + server.httpPort() + "/ocr/prediction"),
              Buffer.buffer("{}"));
      LoadSpec spec =
          // Room for every request even when a cold JVM stalls: this test is about the count.
          LoadSpec.open(200, 1000, Duration.ofMillis(300), Duration.ofSeconds(1)).withIoThreads(2);

      Result r = LoadGenerator.run(spec, target);

      // The timetable holds exactly 200 slots in the window; the rounding of each loop's period
      // may move one slot across either edge.
      assertThat(r.requests()).isBetween(198L, 202L);
      assertThat(r.ok()).isEqualTo(r.requests());
      assertThat(r.offeredRate()).isBetween(198.0, 202.0);
      assertThat(r.sendLag().count()).isEqualTo(r.requests());
      ClosedLoopTest.assertPercentilesOrdered(r.latency());
    }
  }

  @Test
  void warmupRequestsAreSentButNotCounted() throws Exception {
    try (TestServers servers = new TestServers()) {
      int port = servers.httpRefusingEvery(Integer.MAX_VALUE);
      HttpTarget target =
          new HttpTarget(URI.create("http://127.0.0.1:" + port + "/x/y"), Buffer.buffer("{}"));
      LoadSpec spec =
          LoadSpec.open(100, 1000, Duration.ofMillis(500), Duration.ofMillis(500)).withIoThreads(1);

      Result r = LoadGenerator.run(spec, target);

      assertThat(servers.requestsSeen()).isBetween(99L, 101L);
      assertThat(r.requests()).isBetween(49L, 51L);
      assertThat(r.throughput()).isCloseTo(r.ok() / 0.5, Offset.offset(1e-6));
    }
  }

  @Test
  void openLoop_countsRequestsBeyondMaxOutstandingAsNotSentAndSilentOnesAsNoAnswer()
      throws Exception {
    try (TestServers servers = new TestServers()) {
      int port = servers.httpSilent();
      HttpTarget target =
          new HttpTarget(URI.create("http://127.0.0.1:" + port + "/p/q"), Buffer.buffer("{}"));
      LoadSpec spec =
          LoadSpec.open(50, 2, Duration.ZERO, Duration.ofSeconds(1))
              .withIoThreads(1)
              .withDrain(Duration.ofMillis(200));

      Result r = LoadGenerator.run(spec, target);

      assertThat(r.requests()).isEqualTo(50);
      assertThat(r.ok()).isZero();
      assertThat(r.errors())
          .containsEntry(Outcome.NO_ANSWER, 2L)
          .containsEntry(Outcome.NOT_SENT, 48L)
          .hasSize(2);
    }
  }
}
