package io.pipeserve.runtime.profile;

import java.util.Locale;
import java.util.Map;

/**
 * Writes an interval in Paddle's pipeline.tracer layout: the DAG line (success rate, query count,
 * QPS, failed data_ids), its latency line, a line per op with its stage averages and idle ratio,
 * and the channel sizes.
 */
public final class TracerFormat {
  private TracerFormat() {}

  /**
   * @param channels entries waiting in each op's channel, by op name
   * @param channelSize the channels' capacity (dag.channelSize)
   * @param serverWorkers the server's event loops (Paddle's server worker num)
   */
  public static String format(
      PipelineStats.Interval in,
      Map<String, Integer> channels,
      int channelSize,
      int serverWorkers) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "[DAG] Succ: %.4f Query: %d QPS: %.2f q/s Error data_ids: %s%n",
            in.succ(),
            in.queries(),
            in.qps(),
            in.errorDataIds()));
    b.append(String.format(Locale.ROOT, "[DAG] Latency (ms): ave[%.3f]", in.avgLatencyMs()));
    for (int i = 0; i < PipelineStats.PERCENTILES.length; i++) {
      b.append(
          String.format(
              Locale.ROOT, " .%d[%.3f]", PipelineStats.PERCENTILES[i], in.percentilesMs()[i]));
    }
    b.append(System.lineSeparator());
    for (PipelineStats.OpInterval op : in.ops()) {
      b.append(
          String.format(
              Locale.ROOT,
              "[%s] in[%.3f ms] prep[%.3f ms] midp[%.3f ms] postp[%.3f ms] out[%.3f ms]"
                  + " idle[%.4f] samples[%d]%n",
              op.op(),
              op.inMs(),
              op.prepMs(),
              op.midpMs(),
              op.postpMs(),
              op.outMs(),
              op.idle(),
              op.samples()));
    }
    b.append("Channel (server worker num[").append(serverWorkers).append("]):");
    channels.forEach(
        (op, size) ->
            b.append(System.lineSeparator())
                .append("\tchan[")
                .append(op)
                .append("] size[")
                .append(size)
                .append('/')
                .append(channelSize)
                .append(']'));
    return b.toString();
  }
}
