package io.pipeserve.runtime.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.trace.TraceSettingException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings store: Triton's fallback rules, as its trace_endpoint_test checks them. */
class TraceSettingsTest {
  static final String PIPELINE =
      """
      server: {name: simple}
      trace: {level: [TIMESTAMPS], rate: 1, count: -1, file: target/global_unittest.log}
      ops:
        - {name: det, kind: java, className: x.Det}
        - {name: rec, inputs: [det], kind: java, className: x.Rec}
      """;

  private final TraceSettings settings = TraceSettings.create(Specs.yaml(PIPELINE), Map.of());

  static Map<String, List<String>> values(String... keyValues) {
    Map<String, List<String>> values = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      String value = keyValues[i + 1];
      values.put(keyValues[i], value == null ? List.of() : List.of(value.split("\\|")));
    }
    return values;
  }

  static Map<String, List<String>> triton(
      String level, String rate, String count, String logFrequency) {
    Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
    expected.put("trace_level", List.of(level.split("\\|")));
    expected.put("trace_rate", List.of(rate));
    expected.put("trace_count", List.of(count));
    expected.put("log_frequency", List.of(logFrequency));
    expected.put("trace_file", List.of("target/global_unittest.log"));
    expected.put("trace_mode", List.of("triton"));
    return expected;
  }

  @Test
  void get_withNoChange_everyModelShowsTheStartUpSettings() {
    Map<String, List<String>> initial = triton("TIMESTAMPS", "1", "-1", "0");

    assertThat(settings.view(null)).containsExactlyEntriesOf(initial);
    assertThat(settings.view("simple")).isEqualTo(initial);
    assertThat(settings.view("det")).isEqualTo(initial);
  }

  @Test
  void defaults_areTritons() {
    TraceSettings bare = TraceSettings.create(Specs.yaml("server: {name: p}\nops: []"), Map.of());

    assertThat(bare.view(null))
        .containsExactly(
            entry("trace_level", List.of("OFF")),
            entry("trace_rate", List.of("1000")),
            entry("trace_count", List.of("-1")),
            entry("log_frequency", List.of("0")),
            entry("trace_file", List.of("")),
            entry("trace_mode", List.of("triton")));
  }

  @Test
  void globalUpdate_reachesOnlyTheFieldsAModelDoesNotSetItself() {
    settings.update("det", values("log_frequency", "2"));

    settings.update(null, values("trace_level", "TIMESTAMPS|TENSORS", "trace_rate", "6"));

    assertThat(settings.view(null)).isEqualTo(triton("TIMESTAMPS|TENSORS", "6", "-1", "0"));
    assertThat(settings.view("det")).isEqualTo(triton("TIMESTAMPS|TENSORS", "6", "-1", "2"));
    assertThat(settings.view("rec")).isEqualTo(triton("TIMESTAMPS|TENSORS", "6", "-1", "0"));
  }

  @Test
  void clear_fallsBackModelToGlobalAndGlobalToStartUp() {
    settings.update("simple", values("trace_rate", "12", "log_frequency", "34"));
    settings.update(null, values("trace_rate", "56", "trace_count", "78", "trace_level", "OFF"));

    assertThat(settings.snapshot().global().count()).isEqualTo(78);
    settings.update(null, values("trace_rate", null, "trace_count", null));
    assertThat(settings.view(null)).isEqualTo(triton("OFF", "1", "-1", "0"));
    assertThat(settings.view("simple")).isEqualTo(triton("OFF", "12", "-1", "34"));

    settings.update("simple", values("trace_rate", null, "trace_level", null));
    assertThat(settings.view("simple")).isEqualTo(triton("OFF", "1", "-1", "34"));
    assertThat(settings.view(null)).isEqualTo(triton("OFF", "1", "-1", "0"));
  }

  @Test
  void modelWithNothingLeftSet_followsTheGlobalSettingAgain() {
    settings.update("det", values("trace_rate", "9"));
    assertThat(settings.snapshot().hasOwnSetting("det")).isTrue();

    settings.update("det", values("trace_rate", null));
    settings.update(null, values("trace_rate", "4"));

    assertThat(settings.snapshot().hasOwnSetting("det")).isFalse();
    assertThat(settings.view("det")).isEqualTo(triton("TIMESTAMPS", "4", "-1", "0"));
  }

  @Test
  void opTraceInTheSpec_isThatOpsOwnSetting_andClearsToGlobal() {
    TraceSettings withOp =
        TraceSettings.create(
            Specs.yaml(
                PIPELINE.replace(
                    "className: x.Det}", "className: x.Det, trace: {level: [OFF], rate: 3}}")),
            Map.of());

    assertThat(withOp.view("det")).isEqualTo(triton("OFF", "3", "-1", "0"));
    assertThat(withOp.snapshot().childSetting("det")).isEmpty();
    assertThat(withOp.snapshot().childSetting("rec")).isPresent();

    withOp.update("det", values("trace_level", null, "trace_rate", null));
    assertThat(withOp.view("det")).isEqualTo(triton("TIMESTAMPS", "1", "-1", "0"));
  }

  @Test
  void traceFile_cannotBeChanged_evenToClearIt() {
    for (String value : new String[] {"model.log", null}) {
      assertThatThrownBy(() -> settings.update("det", values("trace_file", value)))
          .isInstanceOf(TraceSettingException.class)
          .hasMessage("trace file location can not be updated through network protocol")
          .extracting(e -> ((TraceSettingException) e).reason())
          .isEqualTo(Reason.UNSUPPORTED);
    }
  }

  @Test
  void settingsFixedAtStartUp_areUnsupported() {
    for (String key : List.of("trace_mode", "bsp_max_queue_size")) {
      assertThatThrownBy(() -> settings.update(null, values(key, "1")))
          .hasMessageStartingWith(key)
          .extracting(e -> ((TraceSettingException) e).reason())
          .isEqualTo(Reason.UNSUPPORTED);
    }
  }

  @Test
  void badValues_areRefusedNamingTheSetting_andChangeNothing() {
    List<String[]> cases =
        List.of(
            new String[] {"trace_rate", "abc", "Unable to parse 'trace_rate', got: abc"},
            new String[] {"trace_rate", "-1", "Unable to parse 'trace_rate', value is out of"},
            new String[] {"trace_count", "-2", "Unable to parse 'trace_count'. Expecting value >="},
            new String[] {"log_frequency", "-1", "Unable to parse 'log_frequency', value is out"},
            new String[] {
              "trace_level", "OFF|TIMESTAMPS", "trace_level: Expect only one trace level 'OFF'"
            },
            new String[] {"trace_level", "VERBOSE", "trace_level: unknown trace level 'VERBOSE'"},
            new String[] {"trace_rate", "1|2", "expect only 1 value for 'trace_rate'"},
            new String[] {"sample_rate", "1", "unknown trace setting 'sample_rate'"});
    for (String[] c : cases) {
      // With a valid change beside it, which must not be applied either.
      Map<String, List<String>> change = values(c[0], c[1]);
      change.putIfAbsent("trace_count", List.of("5"));
      assertThatThrownBy(() -> settings.update(null, change))
          .as("%s=%s", c[0], c[1])
          .hasMessageStartingWith(c[2])
          .extracting(e -> ((TraceSettingException) e).reason())
          .isEqualTo(Reason.INVALID);
    }
    assertThat(settings.view(null)).isEqualTo(triton("TIMESTAMPS", "1", "-1", "0"));
    assertThat(settings.snapshot().version()).isZero();
  }

  @Test
  void unknownModel_isRefusedInTritonsWords() {
    assertThatThrownBy(() -> settings.view("does-not-exist"))
        .hasMessage("Request for unknown model : does-not-exist")
        .extracting(e -> ((TraceSettingException) e).reason())
        .isEqualTo(Reason.UNKNOWN_MODEL);
    assertThatThrownBy(() -> settings.update("does-not-exist", values("trace_rate", "1")))
        .hasMessage("Request for unknown model : does-not-exist");
  }

  @Test
  void tracingOnWithoutAFileInTritonMode_isRefused() {
    TraceSettings noFile = TraceSettings.create(Specs.yaml("server: {name: p}"), Map.of());

    assertThatThrownBy(() -> noFile.update(null, values("trace_level", "TIMESTAMPS")))
        .hasMessageContaining("trace file name is not given")
        .hasMessageContaining("trace_level");
    assertThat(noFile.update(null, values("trace_rate", "5")).global().rate()).isEqualTo(5);
  }

  @Test
  void aSnapshotKeepsItsSettings_aChangeMakesANewOne() {
    TraceSnapshot before = settings.snapshot();

    TraceSnapshot after = settings.update(null, values("trace_level", "OFF"));

    assertThat(before.global().levels()).containsExactly(TraceLevel.TIMESTAMPS);
    assertThat(after.global().isOff()).isTrue();
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(settings.snapshot()).isSameAs(after);
  }

  @Test
  void listeners_hearEveryChangeWithBothSnapshots_untilUnsubscribed() {
    List<long[]> heard = new ArrayList<>();
    TraceSettingsListener.Subscription subscription =
        settings.subscribe(
            (previous, current) -> heard.add(new long[] {previous.version(), current.version()}));

    settings.update(null, values("log_frequency", "50"));
    settings.update("det", values("trace_level", "TENSORS"));
    subscription.close();
    settings.update(null, values("log_frequency", "0"));

    assertThat(heard).containsExactly(new long[] {0, 1}, new long[] {1, 2});
  }

  @Test
  void aFailingListener_doesNotStopTheChangeOrTheOthers() {
    List<Integer> heard = new ArrayList<>();
    settings.subscribe(
        (p, c) -> {
          throw new IllegalStateException("listener bug");
        });
    settings.subscribe((p, c) -> heard.add(c.global().logFrequency()));

    settings.update(null, values("log_frequency", "7"));

    assertThat(heard).containsExactly(7);
    assertThat(settings.snapshot().global().logFrequency()).isEqualTo(7);
  }
}
