package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverheadScenarioTest {
  @Test
  void shortRun_appendsEveryProtocolAndTheJmhFigures(@TempDir Path dir) throws Exception {
    ScenarioBlock block =
        OverheadScenario.run(
            new OverheadScenario.Settings(
                Repo.path("bench/scenarios/noop3.yaml"),
                4,
                Duration.ofMillis(100),
                Duration.ofMillis(300),
                OverheadScenario.jmh(0, 1, Duration.ofMillis(100))),
            "bench/run.sh scenario overhead -d 300ms");

    // Goals: throughput for Paddle http, grpc and OIP grpc; the 1 MiB size ratio; JMH per op.
    List<String> lines = Blocks.appendAndCheck(dir, block, OverheadScenario.TITLE, 5);
    assertThat(lines)
        .anyMatch(l -> l.startsWith("| pipeline http | http | closed loop, 4 clients"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("| pipeline grpc | grpc | closed loop, 4 clients"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("| pipeline oip grpc, 1 KiB FP32 | oip grpc | closed loop"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("| pipeline oip grpc, 1 MiB FP32 | oip grpc | closed loop"));
    assertThat(lines)
        .anyMatch(
            l -> l.startsWith("| 1 MiB vs 1 KiB FP32: (added 1 MiB − one copy) / added 1 KiB |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| executor p50 added per op = (t3 − t1) / 2 |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| burst of 8 through 3 ops, batch size 8"));
  }
}
