package io.pipeserve.runtime.trace.file;

import static io.pipeserve.runtime.trace.file.TimestampNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Triton's own {@code qa/common/trace_summary.py} on files our writer produced and checks it
 * prints, line for line, what {@code pipeserve trace summary -t} prints, then reads our tensors.
 *
 * <p>Triton's code is not part of this repository. To run this test, fetch the script and point
 * {@code TRITON_TRACE_SUMMARY} at it; it needs python3 with numpy ({@code apt-get install
 * python3-numpy}):
 *
 * <pre>
 * curl -o /tmp/trace_summary.py \
 *   https://raw.githubusercontent.com/triton-inference-server/server/main/qa/common/trace_summary.py
 * TRITON_TRACE_SUMMARY=/tmp/trace_summary.py ./mvnw -pl runtime -am verify \
 *   -Dtest=TritonTraceSummaryCompatibilityTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfEnvironmentVariable(named = "TRITON_TRACE_SUMMARY", matches = ".+")
class TritonTraceSummaryCompatibilityTest {
  @TempDir Path dir;

  /** A request of {@link Requests} whose "det" op also carries TENSORS-level entries. */
  private static RequestTrace withTensors(RequestTrace request) {
    List<TraceRecord> traces = new ArrayList<>(request.traces());
    TraceRecord det = traces.get(1);
    TraceRecord.Builder withTensors =
        TraceRecord.builder(det.id(), det.modelName(), det.modelVersion())
            .parentId(det.parentId().getAsLong());
    for (TraceEntry entry : det.entries()) {
      TraceEntry.Timestamp ts = (TraceEntry.Timestamp) entry;
      withTensors.timestamp(ts.name(), ts.ns());
      if (ts.name().equals(QUEUE_START)) {
        withTensors.tensor(
            TENSOR_QUEUE_INPUT,
            TraceTensor.ofFloats("x", new long[] {1, 3}, new float[] {0.5f, 0.25f, 2}));
      } else if (ts.name().equals(COMPUTE_OUTPUT_START)) {
        withTensors.tensor(
            TENSOR_BACKEND_OUTPUT, TraceTensor.ofLongs("y", new long[] {2}, new long[] {7, 9}));
      }
    }
    traces.set(1, withTensors.build());
    return new RequestTrace(traces);
  }

  @Test
  void tritonsTool_printsWhatOurSummaryPrints_forFilesOurWriterRotated() throws Exception {
    Path file = dir.resolve("trace.json");
    try (TraceFileWriter writer = TraceFileWriter.start(file, 2, 10)) {
      writer.submit(withTensors(Requests.http(1, 1_000_000, 1)));
      writer.submit(Requests.grpc(4, 3_000_000, 1));
      writer.submit(withTensors(Requests.http(7, 5_000_000, 2)));
    }

    for (Path part : List.of(dir.resolve("trace.json.0"), dir.resolve("trace.json.1"))) {
      String triton = runTriton(part);
      StringWriter ours = new StringWriter();
      TraceSummary.print(part.toString(), TraceFileReader.read(part), true, new PrintWriter(ours));

      assertThat(triton).contains("Data Flow:");
      assertThat(triton.substring(0, triton.indexOf("Data Flow:")))
          .isEqualTo(ours.toString().replace(System.lineSeparator(), "\n"));
      assertThat(triton).contains("QUEUE_INPUT:", "BACKEND_OUTPUT:");
    }
  }

  private static String runTriton(Path file) throws Exception {
    Process python =
        new ProcessBuilder("python3", System.getenv("TRITON_TRACE_SUMMARY"), "-t", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as(output).isZero();
    return output;
  }
}
