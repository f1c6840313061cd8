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

/** {@code serve FILE --op NAME}: what it refuses before it starts anything. */
class ServeOpCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void unknownOp_isAUsageError_listingTheSpecsOps() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("p.yaml"),
            "ops: [{name: det, kind: java, className: %s}, {name: rec, inputs: [det], kind: none}]"
                .formatted(TestOps.Append.class.getName()));

    assertThat(run("serve", file.toString(), "--op", "cls")).isEqualTo(2);
    assertThat(err.toString()).contains("--op: " + file + " has no op 'cls'; its ops: det, rec");
  }

  @Test
  void opThatCannotStart_exits3_namingTheOp() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("p.yaml"), "ops: [{name: det, kind: java, className: com.example.Gone}]");

    assertThat(run("serve", file.toString(), "--op", "det", "--http-port", "0", "--grpc-port", "0"))
        .isEqualTo(3);
    assertThat(err.toString()).contains("cannot start op 'det'").contains("com.example.Gone");
  }
}
