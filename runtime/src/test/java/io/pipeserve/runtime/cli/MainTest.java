package io.pipeserve.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.testing.TestOps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private Path spec(String yaml) throws Exception {
    return Files.writeString(dir.resolve("pipeline.yaml"), yaml);
  }

  @Test
  void validate_validSpec_printsOkAndExits0() throws Exception {
    Path file =
        spec("ops: [{name: a, kind: java, className: " + TestOps.Append.class.getName() + "}]\n");

    assertThat(run("validate", file.toString())).isZero();
    assertThat(out.toString()).isEqualTo(file + ": OK" + System.lineSeparator());
  }

  @Test
  void validate_invalidSpec_printsEveryProblemOnItsOwnLineAndExits1() throws Exception {
    Path file =
        spec(
            """
            server: {httpPort: -5}
            ops:
              - {name: a, kind: java}
              - {name: b, inputs: [nope], kind: java, className: x.Y}
            """);

    assertThat(run("validate", file.toString())).isEqualTo(1);
    String[] lines = out.toString().split(System.lineSeparator());
    assertThat(lines.length).isGreaterThanOrEqualTo(3);
    assertThat(lines).allSatisfy(line -> assertThat(line).startsWith(file + ": "));
    assertThat(out.toString()).contains("server.httpPort").contains("ops[0]").contains("nope");
  }

  /** Each invalid spec the issue names, and the field path its problem must name. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown input op     | ops: [{name: a, kind: none}, {name: b, inputs: [nope], kind: none}]                  | ops[1].inputs[0]: unknown op 'nope'
          duplicate names      | ops: [{name: a, kind: none}, {name: a, inputs: [a], kind: none}]                     | ops[1].name: duplicate
          cycle                | ops: [{name: r, kind: none}, {name: a, inputs: [r, b], kind: none}, {name: b, inputs: [a], kind: none}, {name: s, inputs: [a], kind: none}] | cycle
          two response sinks   | ops: [{name: a, kind: none}, {name: b, inputs: [a], kind: none}, {name: c, inputs: [a], kind: none}] | ops: exactly one
          batch w/o timeout    | ops: [{name: a, kind: none, batch: {size: 4}}]                                       | ops[0].batch.timeoutMs: must be > 0 when batch.size > 1
          unknown kind         | ops: [{name: a, kind: tensorflow}]                                                   | ops[0].kind: unknown kind 'tensorflow'
          unknown step         | ops: [{name: a, kind: none, preprocess: [{step: resise}]}]                           | ops[0].preprocess[0].step: unknown step 'resise'
          missing model file   | ops: [{name: a, kind: onnx, model: absent.onnx}]                                     | ops[0].model: file not found
          negative number      | ops: [{name: a, kind: none, concurrency: -1}]                                        | ops[0].concurrency: must be >= 1
          bad device ids       | ops: [{name: a, kind: none, device: {type: cuda, ids: '0,x'}}]                       | ops[0].device.ids
          bad step parameter   | ops: [{name: a, kind: none, postprocess: [{step: softmax, params: {axsi: 1}}]}]      | ops[0].postprocess[0].params.axsi: unknown parameter
          """)
  void validate_rejectsTheInvalidSpec_namingTheField(String what, String yaml, String expected)
      throws Exception {
    Path file = spec(yaml + "\n");

    assertThat(run("validate", file.toString())).as(out.toString()).isEqualTo(1);
    assertThat(out.toString()).contains(file + ": ").contains(expected);
  }

  @Test
  void validate_yamlSyntaxError_isReportedTheSameWay() throws Exception {
    Path file = spec("ops: [{name: a\n");

    assertThat(run("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith(file + ": ");
  }

  @Test
  void validate_missingFile_isReportedAndExits1() {
    Path file = dir.resolve("absent.yaml");

    assertThat(run("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith(file + ": ").contains("cannot read");
  }

  @Test
  void serve_invalidSpec_printsProblemsAndExits1WithoutServing() throws Exception {
    Path file = spec("ops: [{name: a, kind: java}]\n");

    assertThat(run("serve", "--http-port", "0", file.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith(file + ": ops[0]");
  }

  @Test
  void serve_portOutOfRange_isAUsageError() throws Exception {
    Path file =
        spec("ops: [{name: a, kind: java, className: " + TestOps.Append.class.getName() + "}]\n");

    assertThat(run("serve", "--grpc-port", "70000", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--grpc-port must be within 0..65535");
  }

  @Test
  void missingFile_isAUsageError() {
    assertThat(run("validate")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
  }

  @Test
  void help_listsCommandsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve", "validate", "Exit codes:", "3   the server could");
  }

  @Test
  void subcommandHelp_listsItsOptions() {
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--http-port", "--grpc-port", "--admin-port", "--grace");
  }

  @Test
  void version_isPrintedEverywhere() {
    assertThat(run("--version")).isZero();
    assertThat(run("validate", "--version")).isZero();
    assertThat(out.toString()).contains("pipeserve");
  }

  @Test
  void noCommand_isAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("name a command: serve or validate");
  }
}
