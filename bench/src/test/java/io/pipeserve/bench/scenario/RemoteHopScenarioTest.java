package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteHopScenarioTest {
  @Test
  void shortRun_comparesLatencyAndThroughputWithTheMiddleOpRemote(@TempDir Path dir)
      throws Exception {
    ScenarioBlock block =
        RemoteHopScenario.run(
            new RemoteHopScenario.Settings(
                Repo.path("bench/scenarios/noop3.yaml"),
                "second",
                4,
                Duration.ofMillis(100),
                Duration.ofMillis(300)),
            "bench/run.sh scenario remote -d 300ms");

    List<String> lines = Blocks.appendAndCheck(dir, block, RemoteHopScenario.TITLE, 2);
    assertThat(lines).anyMatch(l -> l.startsWith("| middle op remote, 1 client | http |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| middle op remote, 4 clients | http |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| p99 added per remote hop (1 client) |"));
    assertThat(block.comparisons())
        .allSatisfy(c -> c.all().forEach(run -> assertThat(run.result().errorCount()).isZero()));
  }
}
