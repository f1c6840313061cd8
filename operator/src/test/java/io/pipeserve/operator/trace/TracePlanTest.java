package io.pipeserve.operator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.api.SpecLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trace settings a spec asks of a pod, in the trace protocol's terms. */
class TracePlanTest {
  private static TracePlan plan(String yaml) {
    return TracePlan.of(SpecLoader.fromYaml(yaml));
  }

  private static final String OPS =
      """
      ops:
        - {name: det, kind: none, trace: {level: [TIMESTAMPS, TENSORS], rate: 5}}
        - {name: rec, kind: none, inputs: [det]}
      """;

  @Test
  void globalSettings_areStrings_withTritonsDefaultsForWhatTheSpecLeavesUnset() {
    TracePlan plan = plan("trace: {level: [TIMESTAMPS], file: t.json, count: 10}\n" + OPS);
    assertThat(plan.global())
        .containsExactly(
            Map.entry("trace_level", List.of("TIMESTAMPS")),
            Map.entry("trace_rate", "1000"),
            Map.entry("trace_count", "10"),
            Map.entry("log_frequency", "0"));
  }

  @Test
  void anOpsUnsetSettings_areCleared_soTheyFollowTheGlobalOnes() {
    TracePlan plan = plan("trace: {file: t.json}\n" + OPS);
    Map<String, Object> rec = new HashMap<>();
    rec.put("trace_level", null);
    rec.put("trace_rate", null);
    rec.put("trace_count", null);
    rec.put("log_frequency", null);
    assertThat(plan.ops().get("rec")).isEqualTo(rec);
    assertThat(plan.ops().get("det"))
        .containsEntry("trace_level", List.of("TIMESTAMPS", "TENSORS"))
        .containsEntry("trace_rate", "5")
        .containsEntry("trace_count", null);
  }

  @Test
  void anOpsView_showsItsOwnSettings_andTheGlobalOnesItFollows() {
    TracePlan plan = plan("trace: {level: [TIMESTAMPS], file: t.json, rate: 7}\n" + OPS);
    assertThat(plan.expected().get("det"))
        .containsEntry("trace_rate", "5")
        .containsEntry("trace_level", List.of("TIMESTAMPS", "TENSORS"))
        .containsEntry("trace_mode", "triton");
    assertThat(plan.expected().get("rec"))
        .containsEntry("trace_rate", "7")
        .containsEntry("trace_level", List.of("TIMESTAMPS"));
  }

  @Test
  void opentelemetryMode_sendsTheExporterUrl_andNoLogFrequency() {
    TracePlan plan =
        plan(
            "trace: {mode: opentelemetry, level: [TIMESTAMPS],"
                + " opentelemetry: {url: 'http://otel:4318/v1/traces'}}\n"
                + OPS);
    assertThat(plan.global())
        .containsEntry("url", "http://otel:4318/v1/traces")
        .doesNotContainKey("log_frequency");
    assertThat(plan.ops().get("rec")).doesNotContainKey("log_frequency");
  }

  @Test
  void aView_showsThePlan_whateverTheOrderOfLevels_andWhateverCountIsLeft() {
    TracePlan plan = plan("trace: {level: [TIMESTAMPS, TENSORS], file: t.json, count: 10}\n" + OPS);
    Map<String, Object> view = new HashMap<>(plan.expected().get(TracePlan.GLOBAL));
    view.put("trace_level", List.of("TENSORS", "TIMESTAMPS"));
    view.put("trace_count", "3");
    assertThat(plan.shows(TracePlan.GLOBAL, view)).isTrue();
    view.put("trace_count", "11");
    assertThat(plan.shows(TracePlan.GLOBAL, view)).isFalse();
    view.put("trace_count", "3");
    view.put("trace_rate", "999");
    assertThat(plan.shows(TracePlan.GLOBAL, view)).isFalse();
  }

  @Test
  void theHash_followsTheSettings_only() {
    String base = "trace: {file: t.json, rate: 10}\n" + OPS;
    assertThat(plan(base).hash()).isEqualTo(plan(base).hash());
    assertThat(plan(base.replace("rate: 10", "rate: 11")).hash()).isNotEqualTo(plan(base).hash());
    assertThat(plan("dag: {channelSize: 8}\n" + base).hash()).isEqualTo(plan(base).hash());
  }
}
