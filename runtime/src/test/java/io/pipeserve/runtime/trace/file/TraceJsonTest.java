package io.pipeserve.runtime.trace.file;

import static io.pipeserve.runtime.trace.file.TimestampNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceJsonTest {
  @TempDir Path dir;

  @Test
  void pipelineTrace_frontendTimestampsComeBeforeTheHeader_whichPrecedesRequestStart() {
    TraceRecord pipeline =
        TraceRecord.builder(1, "ocr", 1)
            .requestId("42")
            .timestamp(HTTP_RECV_START, 100)
            .timestamp(HTTP_RECV_END, 200)
            .timestamp(REQUEST_START, 300)
            .timestamp(REQUEST_END, 400)
            .build();

    assertThat(TraceJson.objects(RequestTrace.of(pipeline)))
        .isEqualTo(
            "{\"id\":1,\"timestamps\":[{\"name\":\"HTTP_RECV_START\",\"ns\":100}]},"
                + "{\"id\":1,\"timestamps\":[{\"name\":\"HTTP_RECV_END\",\"ns\":200}]},"
                + "{\"id\":1,\"model_name\":\"ocr\",\"model_version\":1,\"request_id\":\"42\"},"
                + "{\"id\":1,\"timestamps\":[{\"name\":\"REQUEST_START\",\"ns\":300}]},"
                + "{\"id\":1,\"timestamps\":[{\"name\":\"REQUEST_END\",\"ns\":400}]}");
  }

  @Test
  void opTrace_headerCarriesParentId_andTensorEntriesKeepTritonsKeys() {
    TraceRecord pipeline = TraceRecord.builder(1, "ocr", 1).timestamp(REQUEST_START, 1).build();
    TraceRecord op =
        TraceRecord.builder(2, "det", 1)
            .parentId(1)
            .timestamp(REQUEST_START, 10)
            .tensor(
                TENSOR_QUEUE_INPUT,
                TraceTensor.ofFloats("x", new long[] {1, 2}, new float[] {0.1f, 2}))
            .build();

    assertThat(TraceJson.objects(RequestTrace.of(pipeline, op)))
        .endsWith(
            "{\"id\":2,\"model_name\":\"det\",\"model_version\":1,\"parent_id\":1},"
                + "{\"id\":2,\"timestamps\":[{\"name\":\"REQUEST_START\",\"ns\":10}]},"
                + "{\"id\":2,\"activity\":\"TENSOR_QUEUE_INPUT\",\"tensor\":"
                + "{\"name\":\"x\",\"data\":\"0.1,2\",\"shape\":\"1,2\",\"dtype\":\"FP32\"}}");
  }

  @Test
  void traceWithoutRequestStart_getsItsHeaderFirst() {
    TraceRecord trace = TraceRecord.builder(5, "ocr", 1).timestamp(HTTP_RECV_START, 7).build();

    assertThat(TraceJson.objects(RequestTrace.of(trace)))
        .startsWith("{\"id\":5,\"model_name\":\"ocr\",\"model_version\":1},");
  }

  @Test
  void tensorData_isFormattedAsTritonsCppStreams() {
    long[] three = {3};
    assertThat(TraceTensor.ofFloats("f", three, new float[] {1f, 0.5f, 1e-5f}).data())
        .isEqualTo("1,0.5,1e-05");
    assertThat(TraceTensor.ofDoubles("d", three, new double[] {123456789, 2.5, -0.25}).data())
        .isEqualTo("1.23457e+08,2.5,-0.25");
    assertThat(TraceTensor.ofBooleans("b", new long[] {2}, new boolean[] {true, false}).data())
        .isEqualTo("1,0");
    assertThat(TraceTensor.ofStrings("s", new long[] {2}, new String[] {"a", "b"}).data())
        .isEqualTo("\"a\",\"b\"");
    assertThat(TraceTensor.ofLongs("l", new long[] {1, 2}, new long[] {-1, 9}).shape())
        .isEqualTo("1,2");
  }

  @Test
  void tensorShape_mustHoldTheValues() {
    assertThatThrownBy(() -> TraceTensor.ofInts("i", new long[] {2, 2}, new int[] {1, 2, 3}))
        .hasMessageContaining("holds 4 elements, not 3");
  }

  @Test
  void childWithAnIdBelowItsParent_isRejected_becauseTritonsToolWouldDropIt() {
    TraceRecord pipeline = TraceRecord.builder(5, "ocr", 1).build();
    TraceRecord op = TraceRecord.builder(4, "det", 1).parentId(5).build();

    assertThatThrownBy(() -> RequestTrace.of(pipeline, op))
        .hasMessageContaining("trace 4: parent_id 5 must be a trace of the same request");
  }

  @Test
  void reader_mergesTheObjectsOfEachId_backIntoTheTracesWritten() throws Exception {
    RequestTrace request =
        RequestTrace.of(
            Requests.http(1, 1_000, 1).traces().get(0),
            TraceRecord.builder(2, "det", 1)
                .parentId(1)
                .timestamp(REQUEST_START, 5)
                .tensor(
                    TENSOR_BACKEND_OUTPUT, TraceTensor.ofInts("y", new long[] {1}, new int[] {7}))
                .build());
    Path file = Files.writeString(dir.resolve("t.json"), "[" + TraceJson.objects(request) + "]");

    List<TraceRecord> read = TraceFileReader.read(file);

    assertThat(read).containsExactlyElementsOf(request.traces());
  }

  @Test
  void quotesBackslashesAndControlCharacters_areEscapedAndReadBack() throws Exception {
    RequestTrace request =
        RequestTrace.of(
            TraceRecord.builder(1, "p", 1)
                .requestId("a\"b\\c\nd\u0001")
                .timestamp(REQUEST_START, 5)
                .tensor(
                    TENSOR_BACKEND_OUTPUT,
                    TraceTensor.ofStrings("s", new long[] {1}, new String[] {"say \"hi\""}))
                .build());
    Path file = Files.writeString(dir.resolve("t.json"), "[" + TraceJson.objects(request) + "]");

    List<TraceRecord> read = TraceFileReader.read(file);

    assertThat(read).containsExactlyElementsOf(request.traces());
  }

  @Test
  void reader_namesTheFile_whenItIsNotATraceArray() throws Exception {
    Path file = Files.writeString(dir.resolve("t.json"), "{\"traceEvents\":[]}");

    assertThatThrownBy(() -> TraceFileReader.read(file))
        .isInstanceOf(TraceFileException.class)
        .hasMessage(file + ": not a trace file: expected a JSON array of traces");
  }

  @Test
  void reader_readsTritonsDocumentedExample() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("triton.json"),
            """
            [{"id":1,"model_name":"simple","model_version":1},
             {"id":1,"timestamps":[{"name":"HTTP_RECV_START","ns":2356425054587444}]},
             {"id":1,"timestamps":[{"name":"REQUEST_START","ns":2356425054785863}]},
             {"id":1,"activity":"TENSOR_QUEUE_INPUT","tensor":{"name":"input","data":"0.1,0.1","shape":"1,2","dtype":"FP32"}}]
            """);

    TraceRecord trace = TraceFileReader.read(file).get(0);

    assertThat(trace.modelName()).isEqualTo("simple");
    assertThat(trace.timestamps()).containsEntry(REQUEST_START, 2356425054785863L);
    assertThat(trace.entries()).hasSize(3);
  }
}
