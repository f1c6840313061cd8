package io.pipeserve.runtime.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestModels;
import io.pipeserve.runtime.testing.TestOps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorTest {
  private static final String APPEND = TestOps.Append.class.getName();

  @TempDir Path dir;
  private Executor executor;

  @AfterEach
  void close() {
    if (executor != null) {
      executor.close();
    }
  }

  private Executor start(String yaml) {
    executor = Executor.start(Specs.yaml(yaml), dir);
    return executor;
  }

  private static Sample answer(CompletableFuture<Sample> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static PipelineException failure(CompletableFuture<Sample> f) {
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isNotNull();
    Throwable cause = t.getCause() instanceof CompletionException c ? c.getCause() : t.getCause();
    assertThat(cause).isInstanceOf(PipelineException.class);
    return (PipelineException) cause;
  }

  @Test
  void chainOfOps_answersWithTheSinkOutput() throws Exception {
    start(
        """
        ops:
          - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
          - {name: b, inputs: [a], kind: java, className: %1$s, params: {suffix: "-b"}}
        """
            .formatted(APPEND));

    Sample out = answer(executor.submit(7, Map.of("text", "x"), 0));

    assertThat(out.string("text")).isEqualTo("x-a-b");
    assertThat(out.logId()).isEqualTo(7);
    assertThat(out.dataId()).isPositive();
  }

  private static final String RECORDS_THREAD = TestOps.RecordsThread.class.getName();

  @Test
  void cheapOp_runsOnTheThreadOfTheOpBeforeIt_onceItsCostIsKnown() throws Exception {
    start(
        """
        ops:
          - {name: a, kind: java, className: %1$s, params: {field: a_thread}}
          - {name: b, inputs: [a], kind: java, className: %1$s, params: {field: b_thread}}
        """
            .formatted(RECORDS_THREAD));

    Sample first = answer(executor.submit(0, Map.of(), 0));
    assertThat(first.string("b_thread")).isEqualTo("op-b-0"); // its cost is not known yet

    // Requests back to back (not one per 100 ms poll): the op's cost is measured once it is warm.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> answer(executor.submit(0, Map.of(), 0)).string("b_thread").equals("op-a-0"));
  }

  @Test
  void opCostlierThanAHandOff_keepsRunningOnItsOwnWorkers() throws Exception {
    start(
        """
        ops:
          - {name: a, kind: java, className: %1$s, params: {field: a_thread}}
          - {name: b, inputs: [a], kind: java, className: %1$s, params: {field: b_thread, busyMicros: 500}}
        """
            .formatted(RECORDS_THREAD));

    for (int i = 0; i < 50; i++) {
      assertThat(answer(executor.submit(0, Map.of(), 0)).string("b_thread")).isEqualTo("op-b-0");
    }
  }

  @Test
  void opsRunInline_stillRunAtMostTheirConcurrencyAtOnce() throws Exception {
    start(
        """
        dag: {channelSize: 512}
        ops:
          - {name: a, kind: java, className: %1$s, concurrency: 4, params: {field: a_thread}}
          - {name: b, inputs: [a], kind: java, className: %1$s, params: {field: b_thread, busyMicros: 5}}
        """
            .formatted(RECORDS_THREAD));
    await() // until b runs inline, requests back to back
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> answer(executor.submit(0, Map.of(), 0)).string("b_thread").startsWith("op-a"));
    List<CompletableFuture<Sample>> answers = new ArrayList<>();

    for (int i = 0; i < 400; i++) {
      answers.add(executor.submit(0, Map.of(), 0));
    }

    for (CompletableFuture<Sample> a : answers) {
      assertThat(answer(a).string("b_thread")).startsWith("op-");
    }
    assertThat(TestOps.RecordsThread.MOST_AT_ONCE.get("b_thread").get()).isEqualTo(1);
  }

  @Test
  void fanOutAndFanIn_alignEachRequestsOwnOutputs() throws Exception {
    start(
        """
        ops:
          - {name: a, kind: java, className: %1$s, concurrency: 2, params: {suffix: ""}}
          - {name: b, inputs: [a], kind: java, className: %1$s, concurrency: 2, params: {suffix: "-b"}}
          - {name: c, inputs: [a], kind: java, className: %1$s, params: {suffix: "-c"}}
          - name: d
            inputs: [b, c]
            kind: java
            className: %2$s
            params: {fields: [b.text, c.text]}
        """
            .formatted(APPEND, TestOps.Join.class.getName()));

    List<CompletableFuture<Sample>> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(executor.submit(i, Map.of("text", "r" + i), 0));
    }

    for (int i = 0; i < 50; i++) {
      assertThat(answer(answers.get(i)).string("text")).isEqualTo("r%d-b+r%d-c", i, i);
    }
  }

  @Test
  void batching_mergesRequestsIntoOneModelCall_andSplitsResultsBack() throws Exception {
    Path model = TestModels.affine(dir, 3, 2f, 1f);
    start(
        """
        ops:
          - {name: items, kind: java, className: %s}
          - name: m
            inputs: [items]
            model: %s
            fetch: [y]
            outputs: [y]
            batch: {size: 4, timeoutMs: 2000}
        """
            .formatted(TestOps.Items.class.getName(), model.getFileName()));

    List<CompletableFuture<Sample>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(executor.submit(0, Map.of("values", i + "," + i + "," + i), 0));
    }

    for (int i = 0; i < 4; i++) {
      Tensor y = answer(answers.get(i)).tensor("y");
      assertThat(y.shape()).containsExactly(1, 3);
      float v = i * 2f + 1f;
      assertThat(y.floats()).containsExactly(v, v, v);
    }
    assertThat(executor.op("m").batches()).isEqualTo(1);
    assertThat(executor.op("m").batchedItems()).isEqualTo(4);
  }

  @Test
  void miniBatch_itemsOfSeveralRequestsShareModelCalls_andRegroupPerRequest() throws Exception {
    Path model = TestModels.affine(dir, 2, 1f, 10f);
    start(
        """
        ops:
          - {name: items, kind: java, className: %s}
          - name: m
            inputs: [items]
            model: %s
            fetch: [y]
            batch: {size: 2, timeoutMs: 2000}
        """
            .formatted(TestOps.Items.class.getName(), model.getFileName()));

    CompletableFuture<Sample> one = executor.submit(0, Map.of("values", "4,4"), 0);
    CompletableFuture<Sample> three = executor.submit(0, Map.of("values", "1,1;2,2;3,3"), 0);

    Tensor y3 = answer(three).tensor("y");
    assertThat(y3.shape()).containsExactly(3, 2);
    assertThat(y3.floats()).containsExactly(11, 11, 12, 12, 13, 13);
    Tensor y1 = answer(one).tensor("y");
    assertThat(y1.floats()).containsExactly(14, 14);
    // The single item waits for more; then four items in batches of two: two model calls.
    assertThat(executor.op("m").batches()).isEqualTo(2);
  }

  @Test
  void skipProcess_skipsTheProcessCallButNotPostprocess() throws Exception {
    TestOps.SkipAndRecord.BATCH_SIZES.clear();
    start(
        """
        ops:
          - {name: s, kind: java, className: %s}
        """
            .formatted(TestOps.SkipAndRecord.class.getName()));

    Sample skipped = answer(executor.submit(0, Map.of("skip", "1"), 0));
    Sample processed = answer(executor.submit(0, Map.of("x", "1"), 0));

    assertThat(skipped.has("processed")).isFalse();
    assertThat(skipped.string("post")).isEqualTo("yes");
    assertThat(processed.string("processed")).isEqualTo("yes");
    assertThat(TestOps.SkipAndRecord.BATCH_SIZES).containsExactly(1);
  }

  @Test
  void productError_reachesTheCallerWithItsCode() {
    start(
        """
        ops:
          - {name: p, kind: java, className: %s}
        """
            .formatted(TestOps.ProductError.class.getName()));

    PipelineException e = failure(executor.submit(0, Map.of("fail", "1"), 0));

    assertThat(e.errNo()).isEqualTo(55);
    assertThat(e.isProductError()).isTrue();
    assertThat(e.getMessage()).contains("op 'p'").contains("the input asked to fail");
  }

  @Test
  void opTimeout_withoutRetry_failsWithTimeoutNamingTheOp() {
    start(
        """
        ops:
          - {name: slow, kind: java, className: %s, timeoutMs: 100, params: {ms: 5000}}
        """
            .formatted(TestOps.Sleep.class.getName()));

    PipelineException e = failure(executor.submit(0, Map.of(), 0));

    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(e.getMessage()).contains("op 'slow'").contains("timeoutMs of 100");
  }

  @Test
  void opTimeout_withRetry_succeedsOnTheNextAttempt() throws Exception {
    start(
        """
        ops:
          - {name: slow, kind: java, className: %s, timeoutMs: 100, retry: 1, params: {ms: 5000, times: 1}}
        """
            .formatted(TestOps.Sleep.class.getName()));

    Sample out = answer(executor.submit(0, Map.of(), 0));

    assertThat(out.string("slept")).isEqualTo("yes");
  }

  @Test
  void requestDeadline_answersTimeoutWhileTheOpIsStillBusy() {
    start(
        """
        dag: {requestTimeoutMs: 200}
        ops:
          - {name: slow, kind: java, className: %s, params: {ms: 3000}}
        """
            .formatted(TestOps.Sleep.class.getName()));

    long start = System.nanoTime();
    PipelineException e = failure(executor.submit(0, Map.of(), 0));

    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(e.getMessage()).contains("200 ms").contains("op 'slow'");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void requestDeadline_cancelsTheBusyCall_soTheNextRequestIsServedPromptly() throws Exception {
    start(
        """
        dag: {requestTimeoutMs: 200}
        ops:
          - {name: slow, kind: java, className: %s, params: {ms: 3000, times: 1}}
        """
            .formatted(TestOps.Sleep.class.getName()));
    failure(executor.submit(0, Map.of(), 0));

    long start = System.nanoTime();
    Sample next = answer(executor.submit(0, Map.of(), 0));

    assertThat(next.string("slept")).isEqualTo("yes");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void callerDeadline_shorterThanTheDags_wins() {
    start(
        """
        ops:
          - {name: slow, kind: java, className: %s, params: {ms: 3000}}
        """
            .formatted(TestOps.Sleep.class.getName()));

    PipelineException e = failure(executor.submit(0, Map.of(), 150));

    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(e.getMessage()).contains("150 ms");
  }

  @Test
  void fullChannels_refuseNewRequestsAtOnce_andAcceptAgainOnceDrained() throws Exception {
    start(
        """
        dag: {channelSize: 2}
        ops:
          - {name: slow, kind: java, className: %s, params: {ms: 300}}
        """
            .formatted(TestOps.Sleep.class.getName()));

    CompletableFuture<Sample> first = executor.submit(0, Map.of(), 0);
    CompletableFuture<Sample> second = executor.submit(0, Map.of(), 0);
    CompletableFuture<Sample> third = executor.submit(0, Map.of(), 0);

    assertThat(third).isCompletedExceptionally();
    assertThat(failure(third).code()).isEqualTo(ErrorCode.OVERLOADED);
    answer(first);
    answer(second);
    assertThat(executor.inFlight()).isZero();
    assertThat(answer(executor.submit(0, Map.of(), 0)).string("slept")).isEqualTo("yes");
  }

  @Test
  void aCallerSendingItsNextRequestOnTheAnswer_alwaysFindsItsSlotFree() throws Exception {
    start(
        """
        dag: {channelSize: 1}
        ops:
          - {name: a, kind: java, className: %s}
        """
            .formatted(APPEND));

    for (int i = 0; i < 500; i++) {
      assertThat(answer(executor.submit(0, Map.of("text", "x"), 0)).string("text")).isEqualTo("x");
    }
  }

  @Test
  void wrongDtypeForAModel_failsThatRequestOnly_withTypeError() throws Exception {
    Path model = TestModels.affine(dir, 2, 1f, 0f);
    start(
        """
        ops:
          - {name: m, model: %s, batch: {size: 4, timeoutMs: 50}}
        """
            .formatted(model.getFileName()));

    CompletableFuture<Sample> bad =
        executor.submit(0, Map.of("x", Tensor.of(new long[] {1, 2}, 1, 2)), 0);
    CompletableFuture<Sample> good =
        executor.submit(0, Map.of("x", Tensor.of(new float[] {1, 2}, 1, 2)), 0);

    PipelineException e = failure(bad);
    assertThat(e.code()).isEqualTo(ErrorCode.TYPE_ERROR);
    assertThat(e.getMessage()).contains("'x'").contains("FP32").contains("INT64");
    assertThat(answer(good).tensor("y").floats()).containsExactly(1, 2);
  }

  @Test
  void wrongShapeForAModel_failsWithInputErrorNamingTheDimension() {
    Path model = TestModels.affine(dir, 2, 1f, 0f);
    start(
        """
        ops:
          - {name: m, model: %s}
        """
            .formatted(model.getFileName()));

    PipelineException e =
        failure(executor.submit(0, Map.of("x", Tensor.of(new float[] {1, 2, 3}, 1, 3)), 0));

    assertThat(e.code()).isEqualTo(ErrorCode.INPUT_PARAMS_ERROR);
    assertThat(e.getMessage()).contains("'x'").contains("dimension 1 must be 2");
  }

  @Test
  void missingField_failsWithInputErrorNamingIt() {
    start(
        """
        ops:
          - {name: a, kind: java, className: %s}
        """
            .formatted(APPEND));

    PipelineException e = failure(executor.submit(0, Map.of(), 0));

    assertThat(e.code()).isEqualTo(ErrorCode.INPUT_PARAMS_ERROR);
    assertThat(e.getMessage()).contains("op 'a'").contains("missing field 'text'");
  }

  @Test
  void close_failsRequestsInFlight_andRefusesNewOnes() {
    start(
        """
        ops:
          - {name: slow, kind: java, className: %s, params: {ms: 5000}}
        """
            .formatted(TestOps.Sleep.class.getName()));
    CompletableFuture<Sample> inFlight = executor.submit(0, Map.of(), 0);

    executor.close();

    assertThat(failure(inFlight).code()).isEqualTo(ErrorCode.CLOSED_ERROR);
    assertThat(failure(executor.submit(0, Map.of(), 0)).code()).isEqualTo(ErrorCode.CLOSED_ERROR);
  }

  @Test
  void cudaWhereNoneExists_isAStartUpErrorNamingTheOp() {
    Path model = TestModels.affine(dir, 2, 1f, 0f);

    Throwable t =
        catchThrowable(
            () ->
                start(
                    """
                    ops:
                      - {name: m, model: %s, device: {type: cuda, ids: "0"}}
                    """
                        .formatted(model.getFileName())));

    assertThat(t)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ops[0] (m)")
        .hasMessageContaining("CUDA");
  }
}
