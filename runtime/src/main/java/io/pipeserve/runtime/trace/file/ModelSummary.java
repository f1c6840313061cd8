package io.pipeserve.runtime.trace.file;

import java.util.Map;

/**
 * The figures of one model_name/model_version (a pipeline or an op) for one frontend: how many
 * traces and the total nanoseconds of each span over them.
 */
public record ModelSummary(String modelName, long modelVersion, int count, Map<Span, Long> totals) {
  public ModelSummary {
    totals = Map.copyOf(totals);
  }

  public boolean has(Span span) {
    return totals.containsKey(span);
  }

  public long totalNs(Span span) {
    return totals.getOrDefault(span, 0L);
  }

  /** Average µs per trace, computed as trace_summary.py does: total ns / (count * 1000). */
  public double averageUs(Span span) {
    return averageUs(totalNs(span));
  }

  /** Handler time outside queue and compute: REQUEST - QUEUE - COMPUTE. */
  public double handlerOverheadUs() {
    return averageUs(totalNs(Span.REQUEST) - totalNs(Span.QUEUE) - totalNs(Span.COMPUTE));
  }

  /** Frontend time outside the handler, read and send: INFER - REQUEST - READ - SEND. */
  public double frontendOverheadUs() {
    return averageUs(
        totalNs(Span.FRONTEND_INFER)
            - totalNs(Span.REQUEST)
            - totalNs(Span.FRONTEND_READ)
            - totalNs(Span.FRONTEND_SEND));
  }

  private double averageUs(long totalNs) {
    return totalNs / (count * 1000.0);
  }
}
