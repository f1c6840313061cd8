package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverloadScenarioTest {
  // A pipeline with no model and 2 channel slots: the test needs seconds, not OCR's minutes.
  static final Path SMALL_CHANNEL = Path.of("src/test/resources/noop-small-channel.yaml");

  @Test
  void shortRun_appendsSaturationAndOverloadWithEveryRequestAccountedFor(@TempDir Path dir)
      throws Exception {
    ScenarioBlock block =
        OverloadScenario.run(
            new OverloadScenario.Settings(
                SMALL_CHANNEL.toAbsolutePath(),
                2,
                Repo.path("examples/ocr/images"),
                2,
                2,
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofMillis(500),
                64),
            "bench/run.sh scenario overload -d 500ms");

    List<String> lines = Blocks.appendAndCheck(dir, block, OverloadScenario.TITLE, 4);
    assertThat(lines).anyMatch(l -> l.startsWith("| saturation | http | closed loop, 2 clients"));
    assertThat(lines).anyMatch(l -> l.startsWith("| overload | http | open loop"));
    assertThat(lines).anyMatch(l -> l.startsWith("| max heap after GC, overload |"));
  }

  @Test
  void refusals_count429AndResourceExhaustedOnly() {
    long refused =
        OverloadScenario.refusals(
            Map.of(
                "http 429 err_no 3001", 5L,
                "grpc RESOURCE_EXHAUSTED err_no 3001", 2L,
                "no answer (drain timeout)", 1L,
                "http 500", 3L));

    assertThat(refused).isEqualTo(7);
  }
}
