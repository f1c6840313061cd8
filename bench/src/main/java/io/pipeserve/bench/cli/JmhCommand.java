package io.pipeserve.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs the JMH benchmarks compiled into this module. JMH forks its benchmark JVMs with this JVM's
 * class path, which run.sh sets to the module's jar and dependencies.
 */
@Command(
    name = "jmh",
    description = "JMH benchmarks: [regex] and any JMH option (-f, -wi, -i, -prof gc, -h …).")
final class JmhCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", description = "Passed to JMH as given.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    CommandLineOptions options = new CommandLineOptions(args.toArray(String[]::new));
    if (options.shouldHelp()) {
      options.showHelp();
      return 0;
    }
    Runner runner = new Runner(options);
    if (options.shouldList()) {
      runner.list();
      return 0;
    }
    runner.run();
    return 0;
  }
}
