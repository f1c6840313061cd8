package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchingScenarioTest {
  @Test
  void shortRun_appendsRatioRealizedBatchAndLowLoadLatency(@TempDir Path dir) throws Exception {
    ScenarioBlock block =
        BatchingScenario.run(
            new BatchingScenario.Settings(
                Repo.path("bench/scenarios/cls-batch8.yaml"),
                5,
                8,
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofMillis(300)),
            "bench/run.sh scenario batching -d 500ms");

    List<String> lines = Blocks.appendAndCheck(dir, block, BatchingScenario.TITLE, 3);
    assertThat(lines).anyMatch(l -> l.startsWith("| pipeline, 8 clients | grpc | closed loop"));
    assertThat(lines).anyMatch(l -> l.startsWith("| pipeline, 1 client | grpc | closed loop"));
    assertThat(lines).anyMatch(l -> l.startsWith("| mean realized batch (items / model calls) |"));
  }
}
