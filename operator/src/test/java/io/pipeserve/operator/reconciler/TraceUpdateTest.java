package io.pipeserve.operator.reconciler;

import static io.pipeserve.operator.testing.OperatorHarness.condition;
import static io.pipeserve.operator.testing.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.status.Conditions;
import io.pipeserve.operator.testing.FakeRuntime;
import io.pipeserve.operator.testing.LoopbackPorts;
import io.pipeserve.operator.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change of spec.trace reaches the running gateway pods through the trace protocol, on their pod
 * IPs (loopback addresses here), without a restart; the status records it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class TraceUpdateTest {
  static KubernetesClient client;
  static OperatorHarness operator;

  private int adminPort;
  private FakeRuntime podA;
  private FakeRuntime podB;

  @BeforeAll
  static void startOperator() {
    operator = OperatorHarness.start(client);
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
  }

  @BeforeEach
  void startPods() throws Exception {
    adminPort = LoopbackPorts.freeOn("127.0.0.2", "127.0.0.3");
    podA = FakeRuntime.start("127.0.0.2", adminPort, List.of("pre", "post"));
    podB = FakeRuntime.start("127.0.0.3", adminPort, List.of("pre", "post"));
  }

  @AfterEach
  void stopPods() {
    podA.close();
    podB.close();
  }

  private String spec(String trace) {
    return """
        gateway: {replicas: 2}
        server: {adminPort: %d}
        trace: %s
        ops:
          - {name: pre, kind: none}
          - {name: post, inputs: [pre], kind: none}
        """
        .formatted(adminPort, trace);
  }

  @Test
  void aTraceChange_reachesEveryReadyPod_withoutARestart() {
    operator.create(pipeline("live", spec("{file: trace.json}")));
    operator.startPod("live", "live-a", "127.0.0.2");
    operator.startPod("live", "live-b", "127.0.0.3");
    operator.awaitStatus("live", p -> p.getStatus().trace().syncedPods().size() == 2);
    String template = templateHash("live");

    operator.update("live", spec("{file: trace.json, level: [TIMESTAMPS], rate: 10, count: 50}"));

    Pipeline p =
        operator.awaitStatus(
            "live",
            x ->
                x.getStatus().trace().generation() == 2L
                    && x.getStatus().trace().syncedPods().size() == 2);
    for (FakeRuntime pod : List.of(podA, podB)) {
      assertThat(pod.view(null))
          .containsEntry("trace_level", List.of("TIMESTAMPS"))
          .containsEntry("trace_rate", "10")
          .containsEntry("trace_count", "50");
      assertThat(pod.requests()).anyMatch(r -> r.startsWith("POST /v2/trace/setting"));
    }
    assertThat(p.getStatus().trace().syncedPods()).containsExactly("live-a", "live-b");
    assertThat(condition(p, Conditions.TRACE_SYNCED).orElseThrow().getStatus()).isEqualTo("True");
    assertThat(condition(p, Conditions.TRACE_SYNCED).orElseThrow().getReason()).isEqualTo("Synced");
    assertThat(templateHash("live")).as("no pod is rolled").isEqualTo(template);
  }

  @Test
  void aPodThatCannotTakeTheSettings_isPending_untilItCan() {
    operator.create(pipeline("flaky", spec("{file: trace.json}")));
    operator.startPod("flaky", "flaky-a", "127.0.0.2");
    operator.startPod("flaky", "flaky-b", "127.0.0.3");
    operator.awaitStatus("flaky", p -> p.getStatus().trace().syncedPods().size() == 2);
    podB.failNext(6);

    operator.update("flaky", spec("{file: trace.json, rate: 3}"));

    Pipeline pending =
        operator.awaitCondition("flaky", Conditions.TRACE_SYNCED, "False", "SyncPending");
    assertThat(pending.getStatus().trace().pendingPods())
        .singleElement()
        .asString()
        .startsWith("flaky-b: ");
    assertThat(podA.view(null)).containsEntry("trace_rate", "3");
    Pipeline synced = operator.awaitCondition("flaky", Conditions.TRACE_SYNCED, "True", "Synced");
    assertThat(synced.getStatus().trace().pendingPods()).isEmpty();
    assertThat(podB.view(null)).containsEntry("trace_rate", "3");
  }

  @Test
  void podsOfAnOlderConfig_areLeftToTheRollout() {
    operator.create(pipeline("rolling", spec("{file: trace.json}")));
    operator.startPod("rolling", "rolling-a", "127.0.0.2");
    operator.awaitStatus("rolling", p -> p.getStatus().trace().syncedPods().size() == 1);

    // A new trace file is fixed at start-up: the pods roll, and the old one is not asked.
    operator.update("rolling", spec("{file: other.json, rate: 3}"));

    Pipeline p =
        operator.awaitStatus(
            "rolling",
            x ->
                x.getStatus().observedGeneration() == 2L
                    && x.getStatus().trace().syncedPods().isEmpty());
    assertThat(condition(p, Conditions.TRACE_SYNCED).orElseThrow().getReason())
        .isEqualTo("NoReadyPods");
    assertThat(podA.view(null)).containsEntry("trace_rate", "1000");
  }

  private static String templateHash(String deployment) {
    return operator
        .deployment(deployment)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(Names.CONFIG_HASH_ANNOTATION);
  }
}
