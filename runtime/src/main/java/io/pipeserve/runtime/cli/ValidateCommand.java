package io.pipeserve.runtime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Checks a pipeline spec and prints every problem, one per line: FILE: path: message.",
      "Model files are looked for relative to the spec's directory."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the spec is valid", ExitCodes.LIST_INVALID_SPEC, ExitCodes.LIST_USAGE})
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec command;

  @Parameters(paramLabel = "FILE", description = "the pipeline spec (YAML, or JSON by extension)")
  Path file;

  @Override
  public Integer call() {
    SpecCheck check = SpecCheck.of(file);
    if (!check.isValid()) {
      check.printProblems(command.commandLine().getOut());
      return ExitCodes.INVALID_SPEC;
    }
    command.commandLine().getOut().println(file + ": OK");
    command.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
