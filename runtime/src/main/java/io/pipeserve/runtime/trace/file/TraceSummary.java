package io.pipeserve.runtime.trace.file;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Triton's trace_summary.py for pipeserve: the same selection of traces, the same spans and the
 * same printed figures, so users compare our numbers with Triton's line by line. A pipeline trace
 * shows the frontend figures and its handler time; an op trace (a child) shows queue and compute
 * split into input (preprocess), infer (process) and output (postprocess).
 */
public final class TraceSummary {
  private final Frontend frontend;
  private final List<TraceRecord> counted;
  private final List<ModelSummary> models;

  private TraceSummary(Frontend frontend, List<TraceRecord> counted, List<ModelSummary> models) {
    this.frontend = frontend;
    this.counted = counted;
    this.models = models;
  }

  /**
   * Summarizes the requests that came in by {@code frontend}: pipeline traces carrying its
   * timestamps and, transitively, their children. Only traces with both REQUEST_START and
   * REQUEST_END count, as in Triton's tool.
   *
   * @param traces sorted by id, as {@link TraceFileReader#read} returns them
   */
  public static TraceSummary of(Frontend frontend, List<TraceRecord> traces)
      throws TraceFileException {
    Set<Long> matched = new HashSet<>();
    // One pass in id order, like Triton's: a parent always has a smaller id than its children.
    for (TraceRecord trace : traces) {
      boolean match =
          trace.parentId().isEmpty()
              ? frontend.tags(trace)
              : matched.contains(trace.parentId().getAsLong());
      if (match) {
        matched.add(trace.id());
      }
    }
    List<TraceRecord> counted = new ArrayList<>();
    Map<String, Accumulator> byModel = new LinkedHashMap<>();
    for (TraceRecord trace : traces) {
      Map<String, Long> ts = trace.timestamps();
      if (!matched.contains(trace.id())
          || !ts.containsKey(TimestampNames.REQUEST_START)
          || !ts.containsKey(TimestampNames.REQUEST_END)) {
        continue;
      }
      counted.add(trace);
      byModel
          .computeIfAbsent(
              trace.modelName() + "\u0000" + trace.modelVersion(),
              k -> new Accumulator(trace.modelName(), trace.modelVersion()))
          .add(frontend, trace, ts);
    }
    List<ModelSummary> models = new ArrayList<>();
    for (Accumulator accumulator : byModel.values()) {
      models.add(accumulator.summary());
    }
    return new TraceSummary(frontend, counted, models);
  }

  public List<ModelSummary> models() {
    return models;
  }

  /** The traces that were counted, in id order: what {@code -t} prints. */
  public List<TraceRecord> counted() {
    return counted;
  }

  /** Prints each counted trace's timestamps in time order with the µs between them ({@code -t}). */
  public void printTraces(PrintWriter out) {
    for (TraceRecord trace : counted) {
      out.println(trace.modelName() + " (" + trace.modelVersion() + "):");
      out.println("\tid: " + trace.id());
      trace.parentId().ifPresent(parent -> out.println("\tparent id: " + parent));
      List<TraceEntry.Timestamp> ordered = new ArrayList<>();
      for (TraceEntry entry : trace.entries()) {
        if (entry instanceof TraceEntry.Timestamp ts) {
          ordered.add(ts);
        }
      }
      // A stable sort, as Python's: equal times keep their capture order.
      ordered.sort((a, b) -> Long.compare(a.ns(), b.ns()));
      Long previous = null;
      for (TraceEntry.Timestamp ts : ordered) {
        if (previous != null) {
          out.println("\t\t" + PythonFloats.repr((ts.ns() - previous) / 1000.0) + "us");
        }
        out.println("\t" + ts.name());
        previous = ts.ns();
      }
    }
  }

  /** Prints the figures per model, with Triton's labels, indentation and number format. */
  public void printSummary(PrintWriter out) {
    for (ModelSummary model : models) {
      out.println(
          "Summary for "
              + model.modelName()
              + " ("
              + model.modelVersion()
              + "): trace count = "
              + model.count());
      if (model.has(Span.FRONTEND_INFER)) {
        out.println(frontend.requestLabel + " (avg): " + us(model.averageUs(Span.FRONTEND_INFER)));
        out.println(
            "\t" + frontend.readLabel + " (avg): " + us(model.averageUs(Span.FRONTEND_READ)));
        out.println("\tSend (avg): " + us(model.averageUs(Span.FRONTEND_SEND)));
        out.println("\tOverhead (avg): " + us(model.frontendOverheadUs()));
        // Triton prints this block with a trailing newline, hence an empty line.
        out.println();
      }
      out.println("\tHandler (avg): " + us(model.averageUs(Span.REQUEST)));
      if (model.has(Span.QUEUE) && model.has(Span.COMPUTE)) {
        out.println("\t\tOverhead (avg): " + us(model.handlerOverheadUs()));
        out.println("\t\tQueue (avg): " + us(model.averageUs(Span.QUEUE)));
        out.println("\t\tCompute (avg): " + us(model.averageUs(Span.COMPUTE)));
      }
      if (model.has(Span.COMPUTE_INPUT) && model.has(Span.COMPUTE_OUTPUT)) {
        out.println("\t\t\tInput (avg): " + us(model.averageUs(Span.COMPUTE_INPUT)));
        out.println("\t\t\tInfer (avg): " + us(model.averageUs(Span.COMPUTE_INFER)));
        out.println("\t\t\tOutput (avg): " + us(model.averageUs(Span.COMPUTE_OUTPUT)));
      }
    }
  }

  /**
   * The whole report for one file as trace_summary.py prints it: the file name, then HTTP and gRPC
   * requests apart, each with its traces first when {@code showTraces}.
   */
  public static void print(
      String fileLabel, List<TraceRecord> traces, boolean showTraces, PrintWriter out)
      throws TraceFileException {
    out.println("File: " + fileLabel);
    for (Frontend frontend : Frontend.values()) {
      TraceSummary summary = of(frontend, traces);
      if (showTraces) {
        summary.printTraces(out);
      }
      summary.printSummary(out);
    }
    out.flush();
  }

  private static String us(double value) {
    return PythonFloats.repr(value) + "us";
  }

  /** Span totals of one model while traces are added. */
  private static final class Accumulator {
    final String modelName;
    final long modelVersion;
    int count;
    final Map<Span, Long> totals = new EnumMap<>(Span.class);

    Accumulator(String modelName, long modelVersion) {
      this.modelName = modelName;
      this.modelVersion = modelVersion;
    }

    void add(Frontend frontend, TraceRecord trace, Map<String, Long> ts) throws TraceFileException {
      count++;
      if (ts.containsKey(frontend.readStart) && ts.containsKey(frontend.sendEnd)) {
        add(Span.FRONTEND_INFER, trace, ts, frontend.readStart, frontend.sendEnd);
        add(Span.FRONTEND_READ, trace, ts, frontend.readStart, frontend.readEnd);
        add(Span.FRONTEND_SEND, trace, ts, frontend.sendStart, frontend.sendEnd);
      }
      add(Span.REQUEST, trace, ts, TimestampNames.REQUEST_START, TimestampNames.REQUEST_END);
      // Absent on the pipeline's own trace, as on a Triton ensemble's.
      addIfBoth(Span.QUEUE, trace, ts);
      addIfBoth(Span.COMPUTE, trace, ts);
      if (ts.containsKey(TimestampNames.COMPUTE_INPUT_END)
          && ts.containsKey(TimestampNames.COMPUTE_OUTPUT_START)) {
        add(Span.COMPUTE_INPUT, trace, ts, Span.COMPUTE_INPUT.start, Span.COMPUTE_INPUT.end);
        add(Span.COMPUTE_INFER, trace, ts, Span.COMPUTE_INFER.start, Span.COMPUTE_INFER.end);
        add(Span.COMPUTE_OUTPUT, trace, ts, Span.COMPUTE_OUTPUT.start, Span.COMPUTE_OUTPUT.end);
      }
    }

    private void addIfBoth(Span span, TraceRecord trace, Map<String, Long> ts)
        throws TraceFileException {
      if (ts.containsKey(span.start) && ts.containsKey(span.end)) {
        add(span, trace, ts, span.start, span.end);
      }
    }

    private void add(Span span, TraceRecord trace, Map<String, Long> ts, String start, String end)
        throws TraceFileException {
      for (String name : new String[] {start, end}) {
        if (!ts.containsKey(name)) {
          throw new TraceFileException(
              "trace "
                  + trace.id()
                  + " ("
                  + trace.modelName()
                  + "): timestamp "
                  + name
                  + " is missing, needed for "
                  + span);
        }
      }
      long duration = ts.get(end) - ts.get(start);
      if (duration < 0) {
        throw new TraceFileException(
            "trace "
                + trace.id()
                + " ("
                + trace.modelName()
                + "): "
                + end
                + " ("
                + ts.get(end)
                + " ns) is before "
                + start
                + " ("
                + ts.get(start)
                + " ns)");
      }
      totals.merge(span, duration, Long::sum);
    }

    ModelSummary summary() {
      return new ModelSummary(modelName, modelVersion, count, totals);
    }
  }
}
