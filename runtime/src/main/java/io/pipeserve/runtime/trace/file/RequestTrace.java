package io.pipeserve.runtime.trace.file;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trace of one sampled request: the pipeline's trace first, then one per op execution. It is
 * the unit Triton counts for {@code log_frequency} and always lands whole in one file.
 */
public record RequestTrace(List<TraceRecord> traces) {

  /**
   * Checks that each parent is in the request and has a smaller id: Triton's trace_summary.py
   * visits traces by ascending id and only keeps a child whose parent it has already kept, so a
   * child numbered below its parent would silently vanish from the summary.
   */
  public RequestTrace {
    traces = List.copyOf(traces);
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("a request trace needs at least the pipeline's trace");
    }
    Map<Long, TraceRecord> byId = new HashMap<>();
    for (TraceRecord trace : traces) {
      if (byId.put(trace.id(), trace) != null) {
        throw new IllegalArgumentException("trace id " + trace.id() + " appears twice");
      }
    }
    for (TraceRecord trace : traces) {
      if (trace.parentId().isPresent()) {
        long parent = trace.parentId().getAsLong();
        if (!byId.containsKey(parent) || parent >= trace.id()) {
          throw new IllegalArgumentException(
              "trace "
                  + trace.id()
                  + ": parent_id "
                  + parent
                  + " must be a trace of the same request with a smaller id");
        }
      }
    }
  }

  public static RequestTrace of(TraceRecord... traces) {
    return new RequestTrace(List.of(traces));
  }
}
