package io.pipeserve.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench/run.sh load|baseline-server|jmh ...}. */
@Command(
    name = "bench/run.sh",
    mixinStandardHelpOptions = true,
    description = "pipeserve benchmarks: load generator, baseline server, JMH, scenarios.",
    subcommands = {
      LoadCommand.class,
      BaselineServerCommand.class,
      JmhCommand.class,
      ScenarioCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // --body @img.json names a file our options read themselves; picocli's own @argfiles would
    // split the JSON into arguments instead.
    cli.setExpandAtFiles(false);
    // JMH's own options (-f 1 -wi 3 …) pass through to it untouched and in order.
    cli.getSubcommands().get("jmh").setUnmatchedOptionsArePositionalParams(true);
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }
}
