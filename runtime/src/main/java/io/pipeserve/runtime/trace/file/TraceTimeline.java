package io.pipeserve.runtime.trace.file;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns traces into Chrome trace-event JSON ({@code {"traceEvents":[...]}}) for chrome://tracing
 * and Perfetto, as Paddle Serving's timeline_trace.py does for its profile logs.
 *
 * <p>A process per pipeline; in it a "requests" track with each request's span (receive, handler,
 * send inside) and a track per op with each execution's span (queue, compute input, infer, compute
 * output inside). Complete ("X") events, ts and dur in µs from the earliest timestamp.
 *
 * <p>Triton's layout has no worker index, so executions of one op that overlap in time (several
 * workers, or one batch serving several requests) go to extra lanes of that op's track ("det #2"):
 * trace viewers require the events of one thread to nest, and overlapping ones would be drawn
 * wrongly or dropped.
 */
public final class TraceTimeline {
  static final String REQUESTS_TRACK = "requests";
  private static final String ORPHANS = "(parent trace not in file)";
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private TraceTimeline() {}

  /** A span of one trace to draw, with the stage spans nested in it. */
  private record Execution(
      String pipeline,
      String track,
      String name,
      TraceRecord trace,
      long start,
      long end,
      List<Stage> stages) {}

  private record Stage(String name, long start, long end) {}

  public static ObjectNode of(List<TraceRecord> traces) {
    Map<Long, TraceRecord> byId = new HashMap<>();
    for (TraceRecord trace : traces) {
      byId.put(trace.id(), trace);
    }
    List<Execution> executions = new ArrayList<>();
    for (TraceRecord trace : traces) {
      Map<String, Long> ts = trace.timestamps();
      if (ts.isEmpty()) {
        continue;
      }
      long start = ts.values().stream().min(Long::compare).orElseThrow();
      long end = ts.values().stream().max(Long::compare).orElseThrow();
      if (trace.parentId().isEmpty()) {
        executions.add(
            new Execution(
                trace.modelName(),
                REQUESTS_TRACK,
                "request",
                trace,
                start,
                end,
                requestStages(ts)));
      } else {
        executions.add(
            new Execution(
                pipelineOf(trace, byId),
                trace.modelName(),
                trace.modelName(),
                trace,
                start,
                end,
                opStages(ts)));
      }
    }
    return render(executions);
  }

  private static String pipelineOf(TraceRecord trace, Map<Long, TraceRecord> byId) {
    TraceRecord current = trace;
    // Bounded walk: a malformed file with a parent cycle must not hang the tool.
    for (int hops = 0; hops <= byId.size(); hops++) {
      if (current.parentId().isEmpty()) {
        return current.modelName();
      }
      current = byId.get(current.parentId().getAsLong());
      if (current == null) {
        return ORPHANS;
      }
    }
    return ORPHANS;
  }

  private static List<Stage> requestStages(Map<String, Long> ts) {
    List<Stage> stages = new ArrayList<>();
    for (Frontend frontend : Frontend.values()) {
      stage(
          stages,
          ts,
          frontend == Frontend.HTTP ? "HTTP receive" : "gRPC wait/read",
          frontend.readStart,
          frontend.readEnd);
    }
    stage(stages, ts, "handler", TimestampNames.REQUEST_START, TimestampNames.REQUEST_END);
    for (Frontend frontend : Frontend.values()) {
      stage(
          stages,
          ts,
          frontend == Frontend.HTTP ? "HTTP send" : "gRPC send",
          frontend.sendStart,
          frontend.sendEnd);
    }
    return stages;
  }

  private static List<Stage> opStages(Map<String, Long> ts) {
    List<Stage> stages = new ArrayList<>();
    stage(stages, ts, "queue", TimestampNames.QUEUE_START, TimestampNames.COMPUTE_START);
    if (ts.containsKey(TimestampNames.COMPUTE_INPUT_END)
        && ts.containsKey(TimestampNames.COMPUTE_OUTPUT_START)) {
      stage(stages, ts, "compute input", Span.COMPUTE_INPUT.start, Span.COMPUTE_INPUT.end);
      stage(stages, ts, "infer", Span.COMPUTE_INFER.start, Span.COMPUTE_INFER.end);
      stage(stages, ts, "compute output", Span.COMPUTE_OUTPUT.start, Span.COMPUTE_OUTPUT.end);
    } else {
      stage(stages, ts, "compute", Span.COMPUTE.start, Span.COMPUTE.end);
    }
    return stages;
  }

  /**
   * Adds a stage when both timestamps exist and it starts after the previous stage ends: siblings
   * that overlapped would break the nesting viewers require within a track.
   */
  private static void stage(
      List<Stage> stages, Map<String, Long> ts, String name, String start, String end) {
    Long from = ts.get(start);
    Long to = ts.get(end);
    if (from == null || to == null || to < from) {
      return;
    }
    if (!stages.isEmpty() && from < stages.get(stages.size() - 1).end()) {
      return;
    }
    stages.add(new Stage(name, from, to));
  }

  private static ObjectNode render(List<Execution> executions) {
    long origin = executions.stream().mapToLong(Execution::start).min().orElse(0);
    executions.sort(
        Comparator.comparingLong(Execution::start).thenComparingLong(e -> e.trace().id()));

    // pipeline -> track -> lanes, each lane the end time of its last execution.
    Map<String, Map<String, List<Long>>> lanes = new LinkedHashMap<>();
    Map<Execution, Integer> laneOf = new HashMap<>();
    for (Execution e : executions) {
      Map<String, List<Long>> tracks =
          lanes.computeIfAbsent(e.pipeline(), p -> new LinkedHashMap<>());
      // The requests track first in every process, whatever ran first.
      tracks.computeIfAbsent(REQUESTS_TRACK, t -> new ArrayList<>());
      List<Long> ends = tracks.computeIfAbsent(e.track(), t -> new ArrayList<>());
      int lane = 0;
      while (lane < ends.size() && ends.get(lane) > e.start()) {
        lane++;
      }
      if (lane == ends.size()) {
        ends.add(e.end());
      } else {
        ends.set(lane, e.end());
      }
      laneOf.put(e, lane);
    }

    ArrayNode events = NODES.arrayNode();
    Map<String, Integer> pids = new HashMap<>();
    Map<String, Integer> tids = new HashMap<>();
    int pid = 0;
    for (Map.Entry<String, Map<String, List<Long>>> pipeline : lanes.entrySet()) {
      pid++;
      pids.put(pipeline.getKey(), pid);
      events.add(metadata("process_name", pid, 0, "name", pipeline.getKey()));
      events.add(metadata("process_sort_index", pid, 0, "sort_index", pid));
      int tid = 0;
      for (Map.Entry<String, List<Long>> track : pipeline.getValue().entrySet()) {
        for (int lane = 0; lane < Math.max(1, track.getValue().size()); lane++) {
          tid++;
          tids.put(pipeline.getKey() + "\u0000" + track.getKey() + "\u0000" + lane, tid);
          String name = lane == 0 ? track.getKey() : track.getKey() + " #" + (lane + 1);
          events.add(metadata("thread_name", pid, tid, "name", name));
          events.add(metadata("thread_sort_index", pid, tid, "sort_index", tid));
        }
      }
    }

    for (Execution e : executions) {
      int p = pids.get(e.pipeline());
      int t = tids.get(e.pipeline() + "\u0000" + e.track() + "\u0000" + laneOf.get(e));
      ObjectNode span =
          complete(
              e.name(),
              e.track().equals(REQUESTS_TRACK) ? "request" : "op",
              p,
              t,
              e.start() - origin,
              e.end() - e.start());
      ObjectNode args = span.putObject("args");
      args.put("id", e.trace().id());
      e.trace().parentId().ifPresent(parent -> args.put("parent_id", parent));
      if (!e.trace().requestId().isEmpty()) {
        args.put("request_id", e.trace().requestId());
      }
      events.add(span);
      for (Stage stage : e.stages()) {
        events.add(
            complete(
                stage.name(), "stage", p, t, stage.start() - origin, stage.end() - stage.start()));
      }
    }

    ObjectNode root = NODES.objectNode();
    root.set("traceEvents", events);
    root.put("displayTimeUnit", "ms");
    return root;
  }

  private static ObjectNode complete(
      String name, String category, int pid, int tid, long tsNs, long durNs) {
    ObjectNode event = NODES.objectNode();
    event.put("name", name);
    event.put("cat", category);
    event.put("ph", "X");
    // Exact decimals: µs with the ns kept, so nested spans never poke out of their parent.
    event.put("ts", micros(tsNs));
    event.put("dur", micros(durNs));
    event.put("pid", pid);
    event.put("tid", tid);
    return event;
  }

  private static ObjectNode metadata(String name, int pid, int tid, String key, Object value) {
    ObjectNode event = NODES.objectNode();
    event.put("name", name);
    event.put("ph", "M");
    event.put("pid", pid);
    event.put("tid", tid);
    ObjectNode args = event.putObject("args");
    if (value instanceof Integer number) {
      args.put(key, number);
    } else {
      args.put(key, value.toString());
    }
    return event;
  }

  private static BigDecimal micros(long ns) {
    return BigDecimal.valueOf(ns, 3);
  }
}
