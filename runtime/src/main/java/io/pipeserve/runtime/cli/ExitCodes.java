package io.pipeserve.runtime.cli;

/** The CLI's exit codes; each command's --help lists them. */
final class ExitCodes {
  static final int OK = 0;
  static final int INVALID_SPEC = 1;
  // 2 is picocli's own code for wrong usage.
  static final int START_FAILED = 3;

  static final String LIST_OK = "0:success";
  static final String LIST_INVALID_SPEC =
      "1:the spec cannot be read or is invalid (problems printed)";
  static final String LIST_USAGE = "2:wrong usage: unknown option, missing FILE";
  static final String LIST_START_FAILED = "3:the server could not start (a model, a port)";

  private ExitCodes() {}
}
