package io.pipeserve.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeserve.runtime.executor.OpObserver.OpTimes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PipelineStatsTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong();

  private PipelineStats stats() {
    Map<String, Integer> ops = new LinkedHashMap<>();
    ops.put("det", 2);
    ops.put("rec", 1);
    return new PipelineStats(ops, clock::get);
  }

  /** A sample with in 1 ms, prep 2 ms, midp {@code midp} ms, postp 3 ms, out 4 ms. */
  private static OpTimes sample(String op, long midp, int index, int samples) {
    long t = 100 * MS;
    return new OpTimes(
        op,
        0,
        1,
        t,
        t + MS,
        t + 3 * MS,
        t + 3 * MS,
        t + (3 + midp) * MS,
        t + (3 + midp) * MS,
        t + (6 + midp) * MS,
        t + (10 + midp) * MS,
        index,
        samples,
        samples);
  }

  @Test
  void opAverages_areStageTimesPerSample() {
    PipelineStats stats = stats();
    stats.sample(sample("det", 10, 0, 2));
    stats.sample(sample("det", 20, 1, 2));
    clock.set(1_000 * MS);

    PipelineStats.OpInterval det = stats.roll().ops().get(0);

    assertThat(det.op()).isEqualTo("det");
    assertThat(det.samples()).isEqualTo(2);
    assertThat(det.inMs()).isCloseTo(1, within(1e-9));
    assertThat(det.prepMs()).isCloseTo(2, within(1e-9));
    assertThat(det.midpMs()).isCloseTo(15, within(1e-9));
    assertThat(det.postpMs()).isCloseTo(3, within(1e-9));
    assertThat(det.outMs()).isCloseTo(4, within(1e-9));
  }

  @Test
  void idle_isWorkerTimeNotSpentOnSamples_sharingBatchProcessTime() {
    PipelineStats stats = stats();
    // Two samples of one batch: each 2 + 3 + 4 ms of its own plus half of a 10 ms process call.
    stats.sample(sample("det", 10, 0, 2));
    stats.sample(sample("det", 10, 1, 2));
    stats.sample(sample("rec", 91, 0, 1)); // 2 + 91 + 3 + 4 = 100 ms
    clock.set(1_000 * MS);

    List<PipelineStats.OpInterval> ops = stats.roll().ops();

    // det: 28 ms busy over 2 workers x 1000 ms; rec: 100 ms over 1 x 1000 ms.
    assertThat(ops.get(0).idle()).isCloseTo(1 - 28.0 / 2000, within(1e-9));
    assertThat(ops.get(1).idle()).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void dag_countsQueriesQpsSuccessAndFailedDataIds() {
    PipelineStats stats = stats();
    for (int i = 1; i <= 8; i++) {
      stats.request(i, i * MS, 0);
    }
    stats.request(9, 9 * MS, 55);
    stats.request(0, 0, 10005); // refused before admission: counts, but has no latency
    clock.set(2_000 * MS);

    PipelineStats.Interval dag = stats.roll();

    assertThat(dag.queries()).isEqualTo(10);
    assertThat(dag.failures()).isEqualTo(2);
    assertThat(dag.succ()).isCloseTo(0.8, within(1e-9));
    assertThat(dag.qps()).isCloseTo(5, within(1e-9));
    assertThat(dag.errorDataIds()).containsExactly(9L);
    assertThat(dag.avgLatencyMs()).isCloseTo(5, within(1e-9));
  }

  @Test
  void latencyPercentiles_areNearestRankAsPaddleTakesThem() {
    PipelineStats stats = stats();
    for (int i = 1; i <= 100; i++) {
      stats.request(i, i * MS, 0);
    }
    clock.set(1_000 * MS);

    double[] p = stats.roll().percentilesMs();

    // .50 .60 .70 .80 .90 .95 .99 of 1..100 ms: the value at index n * p / 100.
    assertThat(p).containsExactly(51, 61, 71, 81, 91, 96, 100);
  }

  @Test
  void roll_startsAFreshInterval() {
    PipelineStats stats = stats();
    stats.request(1, MS, 0);
    stats.sample(sample("det", 10, 0, 1));
    clock.set(1_000 * MS);
    stats.roll();
    clock.set(2_000 * MS);

    PipelineStats.Interval next = stats.roll();

    assertThat(next.queries()).isZero();
    assertThat(next.succ()).isEqualTo(1.0);
    assertThat(next.ops().get(0).samples()).isZero();
    assertThat(next.ops().get(0).idle()).isEqualTo(1.0);
  }

  @Test
  void tracerBlock_hasPaddlesLayout() {
    PipelineStats stats = stats();
    stats.request(1, 4 * MS, 0);
    stats.request(2, 6 * MS, 55);
    stats.sample(sample("det", 10, 0, 1));
    clock.set(1_000 * MS);
    Map<String, Integer> channels = new LinkedHashMap<>();
    channels.put("det", 3);
    channels.put("rec", 0);

    String block = TracerFormat.format(stats.roll(), channels, 64, 4);

    assertThat(block)
        .contains("[DAG] Succ: 0.5000 Query: 2 QPS: 2.00 q/s Error data_ids: [2]")
        .contains("[DAG] Latency (ms): ave[5.000] .50[6.000] .60[6.000]")
        .contains("[det] in[1.000 ms] prep[2.000 ms] midp[10.000 ms] postp[3.000 ms] out[4.000 ms]")
        .contains("[rec] in[0.000 ms]")
        .contains("Channel (server worker num[4]):")
        .contains("chan[det] size[3/64]")
        .contains("chan[rec] size[0/64]");
  }

  @Test
  void profileTable_countsProcessOncePerBatchAndSharesRatio() {
    ProfileTable table = new ProfileTable(List.of("det"));
    table.sample(sample("det", 10, 0, 2));
    table.sample(sample("det", 20, 1, 2)); // same batch: its process call is not counted again

    List<ProfileTable.Row> rows = table.rows();

    ProfileTable.Row prep = rows.get(1);
    ProfileTable.Row midp = rows.get(2);
    assertThat(prep.stage()).isEqualTo("prep");
    assertThat(prep.calls()).isEqualTo(2);
    assertThat(prep.totalMs()).isCloseTo(4, within(1e-9));
    assertThat(midp.calls()).isEqualTo(1);
    assertThat(midp.minMs()).isCloseTo(10, within(1e-9));
    assertThat(midp.maxMs()).isCloseTo(10, within(1e-9));
    // in 2 + prep 4 + midp 10 + postp 6 + out 8 = 30 ms in all.
    assertThat(midp.ratio()).isCloseTo(10.0 / 30, within(1e-9));
    assertThat(rows.stream().mapToDouble(ProfileTable.Row::ratio).sum()).isCloseTo(1, within(1e-9));
    assertThat(table.text("ocr")).contains("Calls").contains("Ratio").contains("det");
  }
}
