package io.pipeserve.runtime.trace;

import static io.pipeserve.runtime.trace.TraceSettingsTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Triton's sampling: rate, count, and the W3C context that forces a trace. */
class SamplerTest {
  private static TraceSettings settings(String trace) {
    return TraceSettings.create(
        Specs.yaml("server: {name: p}\ntrace: " + trace + "\nops: [{name: a, kind: java}]"),
        Map.of());
  }

  /** The 1-based numbers of the requests traced among the next {@code n}. */
  private static List<Integer> traced(TraceSettings settings, int n, boolean hasContext) {
    List<Integer> traced = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (settings.snapshot().sample("p", hasContext).isPresent()) {
        traced.add(i);
      }
    }
    return traced;
  }

  @Test
  void rate_tracesEveryNthRequest() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 3, file: t.json}");

    assertThat(traced(s, 10, false)).containsExactly(3, 6, 9);
  }

  @Test
  void count_stopsTracingWhenUsedUp_andSettingItAgainRearmsIt() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 1, count: 2, file: t.json}");

    assertThat(traced(s, 5, false)).containsExactly(1, 2);
    assertThat(s.view(null).get("trace_count")).containsExactly("0");

    s.update(null, values("trace_count", "2"));
    assertThat(traced(s, 5, false)).containsExactly(1, 2);

    s.update(null, values("trace_count", "-1"));
    assertThat(traced(s, 3, false)).containsExactly(1, 2, 3);
  }

  @Test
  void changingAnotherSetting_leavesTheCountLeft() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 1, count: 3, file: t.json}");
    traced(s, 2, false);

    s.update(null, values("log_frequency", "10"));

    assertThat(s.view(null).get("trace_count")).containsExactly("1");
    assertThat(traced(s, 3, false)).containsExactly(1);
  }

  @Test
  void rateZero_tracesOnlyRequestsBringingAContext() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 0, file: t.json}");

    assertThat(traced(s, 5, false)).isEmpty();
    assertThat(traced(s, 3, true)).containsExactly(1, 2, 3);
  }

  @Test
  void aRequestBringingAContext_isTracedWhateverRateAndCount() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 1000, count: 0, file: t.json}");

    assertThat(traced(s, 3, true)).containsExactly(1, 2, 3);
    assertThat(traced(s, 3, false)).isEmpty();
  }

  @Test
  void levelOff_tracesNothing_evenWithAContext() {
    TraceSettings s = settings("{level: [OFF], rate: 1, file: t.json}");

    assertThat(traced(s, 3, true)).isEmpty();
  }

  @Test
  void tritonModeWithoutAFile_tracesNothing() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 1}");

    assertThat(traced(s, 3, false)).isEmpty();
  }

  @Test
  void opentelemetryMode_needsNoFile() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 2, mode: opentelemetry}");

    assertThat(traced(s, 4, false)).containsExactly(2, 4);
  }

  @Test
  void opWithoutItsOwnSettings_sharesTheGlobalSampler() {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 2, file: t.json}");

    assertThat(s.snapshot().sample("a", false)).isEmpty();
    assertThat(s.snapshot().sample("p", false)).isPresent();
  }

  @Test
  void concurrentRequests_takeExactlyTheCount() throws Exception {
    TraceSettings s = settings("{level: [TIMESTAMPS], rate: 1, count: 100, file: t.json}");
    AtomicInteger traced = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    if (s.snapshot().sample("p", false).isPresent()) {
                      traced.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(traced.get()).isEqualTo(100);
  }
}
