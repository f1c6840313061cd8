package io.pipeserve.runtime.trace.file;

import static io.pipeserve.runtime.trace.file.TimestampNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Figures checked against {@link Requests}: requests at scales 1 and 2 average 1.5x scale 1. */
class TraceSummaryTest {

  private static List<TraceRecord> traces(RequestTrace... requests) {
    List<TraceRecord> all = new ArrayList<>();
    for (RequestTrace request : requests) {
      all.addAll(request.traces());
    }
    return all;
  }

  private static ModelSummary model(TraceSummary summary, String name) {
    return summary.models().stream()
        .filter(m -> m.modelName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pipeline_frontendAndHandlerAverages() throws Exception {
    TraceSummary http =
        TraceSummary.of(Frontend.HTTP, traces(Requests.http(1, 0, 1), Requests.http(4, 0, 2)));

    ModelSummary ocr = model(http, "ocr");
    assertThat(ocr.count()).isEqualTo(2);
    assertThat(ocr.averageUs(Span.FRONTEND_INFER)).isEqualTo(1395.0); // (930 + 1860) / 2
    assertThat(ocr.averageUs(Span.FRONTEND_READ)).isEqualTo(30.8325); // (20.555 + 41.11) / 2
    assertThat(ocr.averageUs(Span.FRONTEND_SEND)).isEqualTo(15.0);
    assertThat(ocr.averageUs(Span.REQUEST)).isEqualTo(1320.0);
    assertThat(ocr.frontendOverheadUs()).isEqualTo(29.1675); // 1.5 * (930 - 880 - 20.555 - 10)
    assertThat(ocr.has(Span.QUEUE)).isFalse();
  }

  @Test
  void op_queueComputeAndItsThreeParts() throws Exception {
    TraceSummary http =
        TraceSummary.of(Frontend.HTTP, traces(Requests.http(1, 0, 1), Requests.http(4, 0, 2)));

    ModelSummary det = model(http, "det");
    assertThat(det.count()).isEqualTo(2);
    assertThat(det.averageUs(Span.REQUEST)).isEqualTo(577.5); // 1.5 * 385
    assertThat(det.averageUs(Span.QUEUE)).isEqualTo(22.5); // 1.5 * 15
    assertThat(det.averageUs(Span.COMPUTE)).isEqualTo(540.0); // 1.5 * 360
    assertThat(det.handlerOverheadUs()).isEqualTo(15.0); // 1.5 * (385 - 15 - 360)
    assertThat(det.averageUs(Span.COMPUTE_INPUT)).isEqualTo(60.0);
    assertThat(det.averageUs(Span.COMPUTE_INFER)).isEqualTo(450.0);
    assertThat(det.averageUs(Span.COMPUTE_OUTPUT)).isEqualTo(30.0);
  }

  @Test
  void httpAndGrpcRequests_areSummarizedApart_opsFollowingTheirPipeline() throws Exception {
    List<TraceRecord> traces =
        traces(Requests.http(1, 0, 1), Requests.http(4, 0, 2), Requests.grpc(7, 0, 1));

    TraceSummary http = TraceSummary.of(Frontend.HTTP, traces);
    TraceSummary grpc = TraceSummary.of(Frontend.GRPC, traces);

    assertThat(http.models())
        .extracting(ModelSummary::modelName, ModelSummary::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ocr", 2),
            org.assertj.core.groups.Tuple.tuple("det", 2),
            org.assertj.core.groups.Tuple.tuple("rec", 2));
    assertThat(grpc.models()).extracting(ModelSummary::count).containsExactly(1, 1, 1);
    assertThat(model(grpc, "ocr").averageUs(Span.FRONTEND_READ)).isEqualTo(20.555);
    assertThat(model(grpc, "det").averageUs(Span.QUEUE)).isEqualTo(15.0);
  }

  @Test
  void traceWithoutRequestStartAndEnd_isNotCounted() throws Exception {
    TraceRecord partial = TraceRecord.builder(1, "ocr", 1).timestamp(HTTP_RECV_START, 0).build();

    assertThat(TraceSummary.of(Frontend.HTTP, List.of(partial)).models()).isEmpty();
  }

  @Test
  void endBeforeStart_isAnErrorNamingTheTrace() {
    TraceRecord broken =
        TraceRecord.builder(9, "ocr", 1)
            .timestamp(HTTP_RECV_START, 0)
            .timestamp(REQUEST_START, 500)
            .timestamp(REQUEST_END, 400)
            .build();

    assertThatThrownBy(() -> TraceSummary.of(Frontend.HTTP, List.of(broken)))
        .isInstanceOf(TraceFileException.class)
        .hasMessage("trace 9 (ocr): REQUEST_END (400 ns) is before REQUEST_START (500 ns)");
  }

  @Test
  void print_writesTritonsReport() throws Exception {
    StringWriter out = new StringWriter();

    TraceSummary.print("trace.json", traces(Requests.http(1, 0, 1)), false, new PrintWriter(out));

    assertThat(out.toString().replace(System.lineSeparator(), "\n"))
        .isEqualTo(
            """
            File: trace.json
            Summary for ocr (1): trace count = 1
            HTTP infer request (avg): 930.0us
            \tReceive (avg): 20.555us
            \tSend (avg): 10.0us
            \tOverhead (avg): 19.445us

            \tHandler (avg): 880.0us
            Summary for det (1): trace count = 1
            \tHandler (avg): 385.0us
            \t\tOverhead (avg): 10.0us
            \t\tQueue (avg): 15.0us
            \t\tCompute (avg): 360.0us
            \t\t\tInput (avg): 40.0us
            \t\t\tInfer (avg): 300.0us
            \t\t\tOutput (avg): 20.0us
            Summary for rec (1): trace count = 1
            \tHandler (avg): 460.0us
            \t\tOverhead (avg): 11.0us
            \t\tQueue (avg): 9.0us
            \t\tCompute (avg): 440.0us
            \t\t\tInput (avg): 10.0us
            \t\t\tInfer (avg): 400.0us
            \t\t\tOutput (avg): 30.0us
            """);
  }

  @Test
  void showTraces_printsEachTracesTimestampsInTimeOrder_withTheMicrosecondsBetween()
      throws Exception {
    TraceRecord op =
        TraceRecord.builder(2, "det", 1)
            .parentId(1)
            .timestamp(REQUEST_START, 1_000)
            .timestamp(COMPUTE_START, 3_500) // captured before QUEUE_START, printed after it
            .timestamp(QUEUE_START, 1_250)
            .timestamp(REQUEST_END, 4_000)
            .build();
    TraceRecord pipeline =
        TraceRecord.builder(1, "ocr", 1)
            .timestamp(GRPC_WAITREAD_START, 0)
            .timestamp(REQUEST_START, 500)
            .timestamp(REQUEST_END, 4_500)
            .build();
    StringWriter out = new StringWriter();

    TraceSummary.of(Frontend.GRPC, List.of(pipeline, op)).printTraces(new PrintWriter(out));

    assertThat(out.toString().replace(System.lineSeparator(), "\n"))
        .isEqualTo(
            """
            ocr (1):
            \tid: 1
            \tGRPC_WAITREAD_START
            \t\t0.5us
            \tREQUEST_START
            \t\t4.0us
            \tREQUEST_END
            det (1):
            \tid: 2
            \tparent id: 1
            \tREQUEST_START
            \t\t0.25us
            \tQUEUE_START
            \t\t2.25us
            \tCOMPUTE_START
            \t\t0.5us
            \tREQUEST_END
            """);
  }

  @Test
  void pythonFloats_printAsPythonDoes() {
    assertThat(PythonFloats.repr(378.0)).isEqualTo("378.0");
    assertThat(PythonFloats.repr(20.555)).isEqualTo("20.555");
    assertThat(PythonFloats.repr(0.001)).isEqualTo("0.001");
    assertThat(PythonFloats.repr(0.00001)).isEqualTo("1e-05");
    assertThat(PythonFloats.repr(-3.5)).isEqualTo("-3.5");
    assertThat(PythonFloats.repr(1e16)).isEqualTo("1e+16");
    assertThat(PythonFloats.repr(123456789012.0)).isEqualTo("123456789012.0");
  }
}
