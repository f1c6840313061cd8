package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcrScenarioTest {
  @Test
  void shortRun_appendsLoopAndPipelineFiguresWithTheSameAnswer(@TempDir Path dir) throws Exception {
    ScenarioBlock block =
        OcrScenario.run(
            new OcrScenario.Settings(
                Repo.path("examples/ocr/pipeline.yaml"),
                Repo.path("examples/ocr/images"),
                2,
                Duration.ofMillis(200),
                Duration.ofMillis(500)),
            "bench/run.sh scenario ocr -d 500ms");

    List<String> lines = Blocks.appendAndCheck(dir, block, OcrScenario.TITLE, 2);
    assertThat(lines).anyMatch(l -> l.matches("\\| loop, \\d+ threads \\| .*"));
    assertThat(lines).anyMatch(l -> l.startsWith("| pipeline errors | 0 |"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("| same answer as the loop (invoice.png) | yes |"));
  }
}
