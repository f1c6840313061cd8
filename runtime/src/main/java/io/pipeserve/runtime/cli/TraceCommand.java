package io.pipeserve.runtime.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeserve.runtime.trace.file.TraceFileReader;
import io.pipeserve.runtime.trace.file.TraceRecord;
import io.pipeserve.runtime.trace.file.TraceSummary;
import io.pipeserve.runtime.trace.file.TraceTimeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeserve trace}: tools for trace files written in Triton's layout. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reads trace files (Triton's JSON layout, also Triton's own files).",
    subcommands = {TraceCommand.Summary.class, TraceCommand.Timeline.class})
final class TraceCommand implements Runnable {
  static final int UNREADABLE = 1;
  static final String LIST_UNREADABLE =
      "1:a file cannot be read or is not a trace file (the problem is printed)";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command: summary or timeline");
  }

  @Command(
      name = "summary",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Prints Triton's trace_summary.py figures per pipeline and per op, HTTP and gRPC requests"
            + " apart: trace count, request, receive (or wait/read), send, overhead, handler,"
            + " queue, compute input/infer/output, in µs averages.",
        "With log_frequency, pass every FILE.<idx>; each file is summarized on its own."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {ExitCodes.LIST_OK, LIST_UNREADABLE, ExitCodes.LIST_USAGE})
  static final class Summary implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "trace files")
    List<Path> files;

    @Option(
        names = {"-t", "--show-trace"},
        description = "also print each trace's timestamps in time order, with the µs between them")
    boolean showTrace;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (Path file : files) {
        try {
          List<TraceRecord> traces = TraceFileReader.read(file);
          TraceSummary.print(file.toString(), traces, showTrace, out);
        } catch (IOException e) {
          out.flush();
          return fail(spec, e);
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "timeline",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Writes a Chrome trace-event JSON timeline, to open in chrome://tracing or"
            + " https://ui.perfetto.dev: a process per pipeline, a track per op, each execution"
            + " split into queue, compute input, infer and compute output.",
        "Several files (FILE.0 FILE.1 ...) make one timeline."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {ExitCodes.LIST_OK, LIST_UNREADABLE, ExitCodes.LIST_USAGE})
  static final class Timeline implements Callable<Integer> {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "trace files")
    List<Path> files;

    @Option(
        names = {"-o", "--output"},
        required = true,
        paramLabel = "OUT",
        description = "where to write the timeline JSON")
    Path output;

    @Override
    public Integer call() {
      try {
        List<TraceRecord> traces = new ArrayList<>();
        for (Path file : files) {
          traces.addAll(TraceFileReader.read(file));
        }
        ObjectNode timeline = TraceTimeline.of(traces);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        JSON.writeValue(output.toFile(), timeline);
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            output
                + ": "
                + traces.size()
                + " traces; open it in chrome://tracing or https://ui.perfetto.dev");
        out.flush();
        return ExitCodes.OK;
      } catch (IOException e) {
        return fail(spec, e);
      }
    }
  }

  private static int fail(CommandSpec spec, IOException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(e.getMessage());
    err.flush();
    return UNREADABLE;
  }
}
