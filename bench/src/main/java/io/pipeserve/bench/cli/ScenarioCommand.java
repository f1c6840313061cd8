package io.pipeserve.bench.cli;

import io.pipeserve.bench.results.ResultsWriter;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.bench.scenario.BatchingScenario;
import io.pipeserve.bench.scenario.OcrScenario;
import io.pipeserve.bench.scenario.OverheadScenario;
import io.pipeserve.bench.scenario.OverloadScenario;
import io.pipeserve.bench.scenario.RemoteHopScenario;
import io.pipeserve.bench.scenario.Repo;
import io.pipeserve.bench.scenario.TracingScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench/run.sh scenario NAME [options]}: the scenarios of issue 3, each with its baseline in
 * the same run, its figures printed and appended to the results file. Paths are relative to the
 * repository root.
 */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description = "Runs a benchmark scenario with its baseline and appends its results block.",
    subcommands = {
      ScenarioCommand.Overhead.class,
      ScenarioCommand.Ocr.class,
      ScenarioCommand.Tracing.class,
      ScenarioCommand.Batching.class,
      ScenarioCommand.Overload.class,
      ScenarioCommand.Remote.class
    })
final class ScenarioCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a scenario: overhead, ocr, batching, overload or remote");
  }

  /** Options every scenario has. */
  static final class Common {
    @Option(
        names = "--results",
        defaultValue = "bench/results/RESULTS.md",
        description = "Append the block to this file (default ${DEFAULT-VALUE}).")
    String results;

    @Option(
        names = "--note",
        defaultValue = "",
        description = "A line added to the block's note: where it ran, what else ran.")
    String note;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** Prints the block, appends it, and says where. */
    int report(ScenarioBlock block) {
      ScenarioBlock noted =
          note.isBlank()
              ? block
              : new ScenarioBlock(
                  block.title(),
                  block.date(),
                  block.machine(),
                  block.command(),
                  block.comparisons(),
                  block.runs(),
                  block.figures(),
                  note.strip() + " " + block.note());
      System.out.print(ResultsWriter.format(noted));
      Path file = Repo.path(results);
      ResultsWriter.append(file, noted);
      System.out.println("\nappended to " + file);
      return 0;
    }

    /** The command as typed, so the block says how to run it again. */
    String command() {
      return "bench/run.sh "
          + mixee.commandLine().getParseResult().originalArgs().stream()
              .map(LoadCommand::shellQuoted)
              .collect(Collectors.joining(" "));
    }
  }

  @Command(
      name = "overhead",
      mixinStandardHelpOptions = true,
      description =
          "3 no-op ops served in this JVM vs a bare Vert.x handler answering the same bytes,"
              + " over Paddle HTTP and gRPC and Open Inference Protocol gRPC (raw FP32, 1 KiB"
              + " and 1 MiB); then the executor's per-op latency (JMH).")
  static final class Overhead implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--spec", defaultValue = "bench/scenarios/noop3.yaml")
    String spec;

    @Option(
        names = {"-c", "--concurrency"},
        defaultValue = "16",
        description = "Closed-loop clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--warmup",
        defaultValue = "5s",
        converter = Converters.DurationConverter.class,
        description = "Unmeasured time before each run (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
        names = {"-d", "--duration"},
        defaultValue = "20s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of each of the 10 runs (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--no-jmh", description = "Skip the executor benchmarks.")
    boolean noJmh;

    @Option(
        names = "--jmh-forks",
        defaultValue = "1",
        description = "JMH forks (default ${DEFAULT-VALUE}; 0 runs in this JVM: tests only).")
    int jmhForks;

    @Option(
        names = "--jmh-iterations",
        defaultValue = "5",
        description = "JMH warm-up and measurement iterations each (default ${DEFAULT-VALUE}).")
    int jmhIterations;

    @Option(
        names = "--jmh-time",
        defaultValue = "1s",
        converter = Converters.DurationConverter.class,
        description = "Time of one JMH iteration (default ${DEFAULT-VALUE}).")
    Duration jmhTime;

    @Override
    public Integer call() {
      return common.report(
          OverheadScenario.run(
              new OverheadScenario.Settings(
                  Repo.path(spec),
                  clients,
                  warmup,
                  duration,
                  noJmh ? null : OverheadScenario.jmh(jmhForks, jmhIterations, jmhTime)),
              common.command()));
    }
  }

  @Command(
      name = "ocr",
      mixinStandardHelpOptions = true,
      description =
          "The OCR example at saturation vs a plain Java loop with the same steps, models and"
              + " threads: images/s, ratio, CPU busy.")
  static final class Ocr implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--spec", defaultValue = "examples/ocr/pipeline.yaml")
    String spec;

    @Option(names = "--images", defaultValue = "examples/ocr/images")
    String images;

    @Option(
        names = {"-c", "--concurrency"},
        defaultValue = "8",
        description =
            "Closed-loop clients, enough to keep every op busy (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--warmup",
        defaultValue = "10s",
        converter = Converters.DurationConverter.class,
        description = "Unmeasured time before each side (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
        names = {"-d", "--duration"},
        defaultValue = "30s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of each side (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
      return common.report(
          OcrScenario.run(
              new OcrScenario.Settings(
                  Repo.path(spec), Repo.path(images), clients, warmup, duration),
              common.command()));
    }
  }

  @Command(
      name = "batching",
      mixinStandardHelpOptions = true,
      description =
          "The cls model behind an op batching 8, under many gRPC clients, vs raw batch-8 calls;"
              + " then one client's latency.")
  static final class Batching implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--spec", defaultValue = "bench/scenarios/cls-batch8.yaml")
    String spec;

    @Option(
        names = "--batch-timeout",
        defaultValue = "5ms",
        converter = Converters.DurationConverter.class,
        description = "The op's batch.timeoutMs (default ${DEFAULT-VALUE}).")
    Duration batchTimeout;

    @Option(
        names = {"-c", "--concurrency"},
        defaultValue = "32",
        description = "gRPC clients of the loaded run (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--warmup",
        defaultValue = "5s",
        converter = Converters.DurationConverter.class,
        description = "Unmeasured time before each run (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
        names = {"-d", "--duration"},
        defaultValue = "20s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of the raw and the loaded run (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
        names = "--latency-duration",
        defaultValue = "10s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of the 1-client run (default ${DEFAULT-VALUE}).")
    Duration latencyDuration;

    @Override
    public Integer call() throws Exception {
      return common.report(
          BatchingScenario.run(
              new BatchingScenario.Settings(
                  Repo.path(spec),
                  batchTimeout.toMillis(),
                  clients,
                  warmup,
                  duration,
                  latencyDuration),
              common.command()));
    }
  }

  @Command(
      name = "overload",
      mixinStandardHelpOptions = true,
      description =
          "The OCR pipeline's saturation rate (closed loop), then an open loop at a multiple of"
              + " it: throughput kept, excess refused fast, heap bounded, nothing lost.")
  static final class Overload implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--spec", defaultValue = "examples/ocr/pipeline.yaml")
    String spec;

    @Option(
        names = "--channel-size",
        defaultValue = "8",
        description =
            "dag.channelSize for the run, in place of the spec's (default ${DEFAULT-VALUE}: the"
                + " saturation run's clients, so the open loop's excess is refused at once"
                + " rather than queued).")
    int channelSize;

    @Option(names = "--images", defaultValue = "examples/ocr/images")
    String images;

    @Option(
        names = {"-c", "--concurrency"},
        defaultValue = "8",
        description = "Clients of the saturation run (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--factor",
        defaultValue = "2",
        description = "Open-loop rate over the saturation rate (default ${DEFAULT-VALUE}).")
    double factor;

    @Option(
        names = "--warmup",
        defaultValue = "5s",
        converter = Converters.DurationConverter.class,
        description = "Unmeasured time before each run (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
        names = "--saturation-duration",
        defaultValue = "20s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of the saturation run (default ${DEFAULT-VALUE}).")
    Duration saturationDuration;

    @Option(
        names = {"-d", "--duration"},
        defaultValue = "30s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of the open loop (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
        names = "--max-outstanding",
        defaultValue = "1024",
        description = "Open loop: requests in flight at most (default ${DEFAULT-VALUE}).")
    int maxOutstanding;

    @Override
    public Integer call() {
      return common.report(
          OverloadScenario.run(
              new OverloadScenario.Settings(
                  Repo.path(spec),
                  channelSize,
                  Repo.path(images),
                  clients,
                  factor,
                  warmup,
                  saturationDuration,
                  duration,
                  maxOutstanding),
              common.command()));
    }
  }

  @Command(
      name = "remote",
      mixinStandardHelpOptions = true,
      description =
          "The no-op 3-op pipeline with its middle op in a process of its own vs all in this JVM:"
              + " latency a remote hop adds (1 client), throughput kept (many clients).")
  static final class Remote implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--spec", defaultValue = "bench/scenarios/noop3.yaml")
    String spec;

    @Option(
        names = "--op",
        defaultValue = "second",
        description = "The op served by its own process (default ${DEFAULT-VALUE}).")
    String op;

    @Option(
        names = {"-c", "--concurrency"},
        defaultValue = "16",
        description = "Closed-loop clients of the throughput runs (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--warmup",
        defaultValue = "5s",
        converter = Converters.DurationConverter.class,
        description = "Unmeasured time before each run (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
        names = {"-d", "--duration"},
        defaultValue = "20s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of each of the 4 runs (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public Integer call() {
      return common.report(
          RemoteHopScenario.run(
              new RemoteHopScenario.Settings(Repo.path(spec), op, clients, warmup, duration),
              common.command()));
    }
  }

  @Command(
      name = "tracing",
      mixinStandardHelpOptions = true,
      description =
          "The cost of tracing: the no-op 3-op and the OCR pipelines, traced at TIMESTAMPS with"
              + " rate 1 vs tracing OFF.")
  static final class Tracing implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--noop-spec", defaultValue = "bench/scenarios/noop3.yaml")
    String noopSpec;

    @Option(names = "--ocr-spec", defaultValue = "examples/ocr/pipeline.yaml")
    String ocrSpec;

    @Option(names = "--images", defaultValue = "examples/ocr/images")
    String images;

    @Option(
        names = "--noop-clients",
        defaultValue = "16",
        description = "Closed-loop clients on the no-op pipeline (default ${DEFAULT-VALUE}).")
    int noopClients;

    @Option(
        names = "--ocr-clients",
        defaultValue = "8",
        description = "Closed-loop clients on the OCR pipeline (default ${DEFAULT-VALUE}).")
    int ocrClients;

    @Option(
        names = "--warmup",
        defaultValue = "5s",
        converter = Converters.DurationConverter.class,
        description = "Unmeasured time before each run (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
        names = {"-d", "--duration"},
        defaultValue = "20s",
        converter = Converters.DurationConverter.class,
        description = "Measured time of each no-op run (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
        names = "--ocr-duration",
        defaultValue = "60s",
        converter = Converters.DurationConverter.class,
        description =
            "Measured time of each OCR run: at a few images/s, long enough that one image more"
                + " or less moves the ratio by under 1% (default ${DEFAULT-VALUE}).")
    Duration ocrDuration;

    @Override
    public Integer call() {
      return common.report(
          TracingScenario.run(
              new TracingScenario.Settings(
                  Repo.path(noopSpec),
                  Repo.path(ocrSpec),
                  Repo.path(images),
                  noopClients,
                  ocrClients,
                  warmup,
                  duration,
                  ocrDuration),
              common.command()));
    }
  }
}
