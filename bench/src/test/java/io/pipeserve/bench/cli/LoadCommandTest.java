package io.pipeserve.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.baseline.BaselineResponse;
import io.pipeserve.bench.baseline.BaselineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCommandTest {
  @Test
  void loadWithBaseline_appendsABlockComparingBothRuns(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("RESULTS.md");
    try (BaselineServer target = BaselineServer.start(0, 0, BaselineResponse.defaults())) {
      int exit =
          Main.commandLine()
              .execute(
                  "load",
                  "--protocol",
                  "grpc",
                  "--target",
                  "127.0.0.1:" + target.grpcPort(),
                  "--request",
                  "{\"key\":[\"a\"],\"value\":[\"b\"],\"logid\":7}",
                  "-c",
                  "2",
                  "--duration",
                  "300ms",
                  "--warmup",
                  "100ms",
                  "--baseline",
                  "--title",
                  "cli test",
                  "--note",
                  "it's a test",
                  "--results",
                  results.toString());

      assertThat(exit).isZero();
    }
    String text = Files.readString(results);
    assertThat(text)
        .contains(
            "## cli test",
            "- Command: `bench/run.sh load --protocol grpc",
            "--title 'cli test' --note 'it'\\''s a test'",
            "- Note: it's a test\n");
    assertThat(text.lines().filter(l -> l.startsWith("| baseline | grpc |"))).hasSize(1);
    assertThat(text.lines().filter(l -> l.startsWith("| grpc | grpc |"))).hasSize(1);
  }

  @Test
  void resultsWithoutBaseline_isRefused() {
    int exit =
        Main.commandLine()
            .execute("load", "--url", "http://127.0.0.1:1/x", "--results", "/tmp/never.md");
    assertThat(exit).isEqualTo(2);
  }
}
