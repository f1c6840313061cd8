package io.pipeserve.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.testing.TestOps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --trace-config}: a bad flag stops start-up with an error naming it. */
class ServeTraceConfigTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int serve(String... args) throws Exception {
    Path spec =
        Files.writeString(
            dir.resolve("pipeline.yaml"),
            "trace: {opentelemetry: {bspMaxQueueSize: 100}}\n"
                + "ops: [{name: a, kind: java, className: "
                + TestOps.Append.class.getName()
                + "}]\n");
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    all[0] = "serve";
    all[1] = spec.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return cli.execute(all);
  }

  @Test
  void badValue_isAUsageErrorNamingTheFlag() throws Exception {
    assertThat(serve("--trace-config", "rate=100", "--trace-config", "count=-7")).isEqualTo(2);
    assertThat(err.toString()).contains("--trace-config count=-7: must be >= -1");
  }

  @Test
  void unknownSetting_isAUsageErrorNamingTheFlag() throws Exception {
    assertThat(serve("--trace-config", "triton,logfrequency=5")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--trace-config triton,logfrequency=5: unknown triton setting 'logfrequency'");
  }

  @Test
  void flagsThatClashWithTheSpecFile_areReportedWithTheSpecsRules() throws Exception {
    assertThat(serve("--trace-config", "opentelemetry,bsp_max_export_batch_size=500")).isEqualTo(1);
    assertThat(err.toString())
        .contains("with --trace-config: trace.opentelemetry.bspMaxExportBatchSize")
        .contains("bspMaxQueueSize");
  }
}
