package io.pipeserve.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code pipeserve} command line. */
@Command(
    name = "pipeserve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Serves multi-model inference pipelines (Paddle Serving's pipeline model).",
    subcommands = {ServeCommand.class, ValidateCommand.class, TraceCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.LIST_OK,
      ExitCodes.LIST_INVALID_SPEC,
      ExitCodes.LIST_USAGE,
      ExitCodes.LIST_START_FAILED
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for {@code main} and for tests that capture its output. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command: serve or validate");
  }
}
