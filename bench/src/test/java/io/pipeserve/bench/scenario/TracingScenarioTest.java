package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracingScenarioTest {
  @Test
  void shortRun_appendsTracedAndUntracedRunsOfBothPipelines(@TempDir Path dir) throws Exception {
    ScenarioBlock block =
        TracingScenario.run(
            new TracingScenario.Settings(
                Repo.path("bench/scenarios/noop3.yaml"),
                Repo.path("examples/ocr/pipeline.yaml"),
                Repo.path("examples/ocr/images"),
                4,
                2,
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofMillis(500)),
            "bench/run.sh scenario tracing -d 500ms");

    List<String> lines = Blocks.appendAndCheck(dir, block, TracingScenario.TITLE, 2);
    assertThat(lines).anyMatch(l -> l.startsWith("| no-op 3 ops, tracing OFF | http |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| no-op 3 ops, traced | http |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| OCR, traced | http |"));
    assertThat(lines).anyMatch(l -> l.startsWith("| OCR, traced vs OFF |"));
  }

  @Test
  void tracedSpec_tracesEveryRequestAtTimestampsIntoTheFile() {
    var spec = Specs.load(Repo.path("bench/scenarios/noop3.yaml"));

    var traced = TracingScenario.traced(spec, Path.of("/tmp/t.json"));

    assertThat(traced.trace().level()).containsExactly("TIMESTAMPS");
    assertThat(traced.trace().rate()).isEqualTo(1);
    assertThat(traced.trace().file()).isEqualTo("/tmp/t.json");
    assertThat(traced.ops()).isEqualTo(spec.ops());
  }
}
