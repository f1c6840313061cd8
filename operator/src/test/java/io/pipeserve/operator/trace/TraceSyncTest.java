package io.pipeserve.operator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.api.SpecLoader;
import io.pipeserve.operator.resource.PipelineStatus.TraceStatus;
import io.pipeserve.operator.status.StatusRecorder.TraceOutcome;
import io.pipeserve.operator.testing.FakeRuntime;
import io.pipeserve.operator.testing.LoopbackPorts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trace settings pushed to running pods over real HTTP, and read back. */
class TraceSyncTest {
  private static final String SPEC =
      """
      trace: {level: [TIMESTAMPS], rate: 10, file: trace.json}
      ops:
        - {name: det, kind: none, trace: {level: [TIMESTAMPS, TENSORS]}}
        - {name: rec, kind: none, inputs: [det]}
      """;

  private final TraceSync sync =
      new TraceSync(new TraceClient(Duration.ofSeconds(2)), List.of(Duration.ofMillis(50)));
  private int port;
  private FakeRuntime a;
  private FakeRuntime b;

  @BeforeEach
  void startPods() throws Exception {
    port = LoopbackPorts.freeOn("127.0.0.2", "127.0.0.3");
    a = FakeRuntime.start("127.0.0.2", port, List.of("det", "rec"));
    b = FakeRuntime.start("127.0.0.3", port, List.of("det", "rec"));
  }

  @AfterEach
  void stopPods() {
    a.close();
    b.close();
    sync.close();
  }

  @Test
  void everyPod_endsUpShowingTheSpecsSettings() {
    TraceOutcome outcome = sync.sync(plan(SPEC), pods(), null, 4);

    assertThat(outcome.synced()).isTrue();
    assertThat(outcome.status().syncedPods()).containsExactly("a", "b");
    assertThat(outcome.status().generation()).isEqualTo(4L);
    for (FakeRuntime pod : List.of(a, b)) {
      assertThat(pod.view(null))
          .containsEntry("trace_level", List.of("TIMESTAMPS"))
          .containsEntry("trace_rate", "10");
      assertThat(pod.view("det")).containsEntry("trace_level", List.of("TIMESTAMPS", "TENSORS"));
      assertThat(pod.view("rec")).containsEntry("trace_level", List.of("TIMESTAMPS"));
    }
  }

  @Test
  void aPodAlreadyShowingTheSettings_isOnlyRead() {
    sync.sync(plan(SPEC), pods(), null, 1);
    int before = a.requests().size();

    TraceOutcome again =
        sync.sync(plan(SPEC), List.of(new TargetPod("a", "127.0.0.2", port)), null, 1);

    assertThat(again.synced()).isTrue();
    assertThat(a.requests().subList(before, a.requests().size()))
        .allMatch(r -> r.startsWith("GET"));
  }

  @Test
  void podsSyncedToThisPlan_areNotAskedAgain() {
    TraceOutcome first = sync.sync(plan(SPEC), pods(), null, 1);
    int before = a.requests().size();

    TraceOutcome second = sync.sync(plan(SPEC), pods(), first.status(), 2);

    assertThat(second.status().syncedPods()).containsExactly("a", "b");
    assertThat(a.requests()).hasSize(before);
  }

  @Test
  void anOpSettingRemovedFromTheSpec_isCleared_onThePods() {
    sync.sync(plan(SPEC), pods(), null, 1);

    sync.sync(plan(SPEC.replace(", trace: {level: [TIMESTAMPS, TENSORS]}", "")), pods(), null, 2);

    assertThat(a.view("det")).containsEntry("trace_level", List.of("TIMESTAMPS"));
    assertThat(a.requests())
        .anyMatch(
            r -> r.contains("/v2/models/det/trace/setting") && r.contains("\"trace_level\":null"));
  }

  @Test
  void aPodThatFailsBriefly_isRetried_withinOneSync() {
    a.failNext(1);

    TraceOutcome outcome = sync.sync(plan(SPEC), pods(), null, 1);

    assertThat(outcome.synced()).isTrue();
    assertThat(a.view(null)).containsEntry("trace_rate", "10");
  }

  @Test
  void aPodThatKeepsFailing_isLeftPending_andTheOthersAreSynced() {
    a.failNext(100);
    TraceStatus before = new TraceStatus(1L, "old", List.of("a", "b"), List.of());

    TraceOutcome outcome = sync.sync(plan(SPEC), pods(), before, 2);

    assertThat(outcome.synced()).isFalse();
    assertThat(outcome.reason()).isEqualTo("SyncPending");
    assertThat(outcome.status().syncedPods()).containsExactly("b");
    assertThat(outcome.status().pendingPods())
        .singleElement()
        .asString()
        .startsWith("a: ")
        .contains("503");
    assertThat(outcome.status().generation()).as("the generation every pod runs").isEqualTo(1L);
    assertThat(outcome.message()).contains("1 of 2 ready pod(s)");
  }

  @Test
  void aPodNoOneListensOn_isLeftPending() {
    b.close();

    TraceOutcome outcome = sync.sync(plan(SPEC), pods(), null, 1);

    assertThat(outcome.status().pendingPods())
        .singleElement()
        .isEqualTo("b: cannot connect to the admin port");
  }

  @Test
  void noReadyPod_isNothingToSync() {
    TraceOutcome outcome = sync.sync(plan(SPEC), List.of(), null, 3);
    assertThat(outcome.synced()).isTrue();
    assertThat(outcome.reason()).isEqualTo("NoReadyPods");
  }

  private List<TargetPod> pods() {
    return List.of(new TargetPod("a", "127.0.0.2", port), new TargetPod("b", "127.0.0.3", port));
  }

  private static TracePlan plan(String yaml) {
    return TracePlan.of(SpecLoader.fromYaml(yaml));
  }
}
