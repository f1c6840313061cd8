package io.pipeserve.runtime.cli;

import static io.pipeserve.runtime.trace.file.TimestampNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipeserve.runtime.trace.file.RequestTrace;
import io.pipeserve.runtime.trace.file.TraceFileWriter;
import io.pipeserve.runtime.trace.file.TraceRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TraceCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path file;

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** One HTTP request of pipeline "ocr" with op "det", written by the real writer. */
  @BeforeEach
  void writeTraceFile() throws Exception {
    file = dir.resolve("trace.json");
    TraceRecord pipeline =
        TraceRecord.builder(1, "ocr", 1)
            .timestamp(HTTP_RECV_START, 0)
            .timestamp(HTTP_RECV_END, 10_000)
            .timestamp(REQUEST_START, 20_000)
            .timestamp(REQUEST_END, 120_000)
            .timestamp(HTTP_SEND_START, 130_000)
            .timestamp(HTTP_SEND_END, 140_000)
            .build();
    TraceRecord det =
        TraceRecord.builder(2, "det", 1)
            .parentId(1)
            .timestamp(REQUEST_START, 30_000)
            .timestamp(QUEUE_START, 31_000)
            .timestamp(COMPUTE_START, 40_000)
            .timestamp(COMPUTE_INPUT_END, 50_000)
            .timestamp(COMPUTE_OUTPUT_START, 90_000)
            .timestamp(COMPUTE_END, 100_000)
            .timestamp(REQUEST_END, 110_000)
            .build();
    try (TraceFileWriter writer = TraceFileWriter.start(file, 0, 10)) {
      writer.submit(RequestTrace.of(pipeline, det));
    }
  }

  @Test
  void summary_printsTritonsFiguresPerPipelineAndOp() {
    assertThat(run("trace", "summary", file.toString())).isZero();

    assertThat(out.toString())
        .startsWith("File: " + file)
        .contains("Summary for ocr (1): trace count = 1")
        .contains("HTTP infer request (avg): 140.0us")
        .contains("Summary for det (1): trace count = 1")
        .contains("\t\t\tInfer (avg): 40.0us");
  }

  @Test
  void summaryWithT_alsoPrintsEachTrace() {
    assertThat(run("trace", "summary", "-t", file.toString())).isZero();

    assertThat(out.toString())
        .contains(
            "det (1):\n\tid: 2\n\tparent id: 1\n\tREQUEST_START\n\t\t1.0us\n\tQUEUE_START"
                .replace("\n", System.lineSeparator()));
  }

  @Test
  void summary_ofAMissingFile_exits1NamingIt() {
    Path missing = dir.resolve("nope.json");

    assertThat(run("trace", "summary", missing.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(missing + ": no such file");
  }

  @Test
  void timeline_writesChromeTraceEvents() throws Exception {
    Path output = dir.resolve("out/timeline.json");

    assertThat(run("trace", "timeline", file.toString(), "-o", output.toString())).isZero();

    JsonNode timeline = new ObjectMapper().readTree(Files.readString(output));
    assertThat(timeline.get("traceEvents").isArray()).isTrue();
    assertThat(timeline.get("traceEvents").findValuesAsText("name"))
        .contains("process_name", "thread_name", "request", "det", "queue", "infer");
    assertThat(out.toString()).contains(output + ": 2 traces");
  }

  @Test
  void timeline_withoutOutput_isAUsageError() {
    assertThat(run("trace", "timeline", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--output");
  }
}
