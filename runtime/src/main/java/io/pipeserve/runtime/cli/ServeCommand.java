package io.pipeserve.runtime.cli;

import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.Problem;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.SpecValidator;
import io.pipeserve.api.TraceSpec;
import io.pipeserve.runtime.distributed.OpServer;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.trace.TraceConfigFlags;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Validates a pipeline spec, then serves it: Paddle HTTP (POST /{name}/{method}) and gRPC,",
      "health on /v2/health/live and /v2/health/ready. Runs until SIGTERM or Ctrl-C, then drains:",
      "readiness turns 503, new requests are refused, requests in flight finish within --grace.",
      "With --op NAME it serves that one op for the gateways that reach it through its endpoints."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped after SIGTERM or Ctrl-C",
      ExitCodes.LIST_INVALID_SPEC,
      ExitCodes.LIST_USAGE,
      ExitCodes.LIST_START_FAILED
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec command;

  @Parameters(paramLabel = "FILE", description = "the pipeline spec (YAML, or JSON by extension)")
  Path file;

  @Option(names = "--http-port", paramLabel = "PORT", description = "overrides server.httpPort")
  Integer httpPort;

  @Option(
      names = "--grpc-port",
      paramLabel = "PORT",
      description =
          "overrides server.grpcPort (with --op: the port the op's endpoints name, if they name one)")
  Integer grpcPort;

  @Option(
      names = "--op",
      paramLabel = "NAME",
      description = {
        "serve only this op of the spec, in a process of its own: the channel service on the gRPC",
        "port, health, /metrics and /v2/profile on the HTTP port. The op keeps its concurrency,",
        "batching and devices; gateways serving the whole spec send its samples here."
      })
  String op;

  @Option(names = "--admin-port", paramLabel = "PORT", description = "overrides server.adminPort")
  Integer adminPort;

  @Option(
      names = "--trace-config",
      paramLabel = "[MODE,]SETTING=VALUE",
      description = {
        "trace setting, as Triton's flag; repeatable, overrides the spec's trace section:",
        "rate=N, level=OFF|TIMESTAMPS|TENSORS (repeat for several), count=N (-1: no limit),",
        "mode=triton|opentelemetry, triton,file=PATH, triton,log-frequency=N,",
        "opentelemetry,url=URL, opentelemetry,resource=KEY=VALUE,",
        "opentelemetry,bsp_max_queue_size=N, opentelemetry,bsp_schedule_delay=MS,",
        "opentelemetry,bsp_max_export_batch_size=N"
      })
  List<String> traceConfig = new ArrayList<>();

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = PipelineServer.ALL_INTERFACES,
      description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host;

  // Kubernetes sends SIGKILL 30 s after SIGTERM by default: leave time to close after draining.
  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      defaultValue = "25",
      description =
          "how long requests in flight may finish on shutdown (default: ${DEFAULT-VALUE})")
  long graceSeconds;

  @Override
  public Integer call() throws InterruptedException {
    // Replicas of remote ops come and go behind DNS names, and the JVM would cache a lookup for
    // 30 s. First thing: the JVM reads the setting once, at its first lookup.
    Security.setProperty("networkaddress.cache.ttl", "1");
    checkPort("--http-port", httpPort);
    checkPort("--grpc-port", grpcPort);
    checkPort("--admin-port", adminPort);
    TraceSpec traceFlags = traceFlags();
    PrintWriter err = command.commandLine().getErr();
    SpecCheck check = SpecCheck.of(file);
    if (!check.isValid()) {
      check.printProblems(err);
      return ExitCodes.INVALID_SPEC;
    }
    OpSpec served = op == null ? null : servedOp(check.spec());
    PipelineSpec spec = withOverrides(check.spec(), traceFlags, served);
    if (!traceConfig.isEmpty() && !traceProblems(spec, err)) {
      return ExitCodes.INVALID_SPEC;
    }
    if (served != null) {
      return serveOp(spec, err);
    }
    PipelineServer server;
    try {
      server = PipelineServer.start(spec, SpecCheck.baseDir(file), host);
    } catch (RuntimeException e) {
      err.println(file + ": cannot start: " + e.getMessage());
      err.flush();
      return ExitCodes.START_FAILED;
    }
    server.stopOnShutdown(Duration.ofSeconds(graceSeconds));
    server.blockUntilShutdown();
    return ExitCodes.OK;
  }

  private int serveOp(PipelineSpec spec, PrintWriter err) throws InterruptedException {
    OpServer server;
    try {
      server = OpServer.start(spec, op, SpecCheck.baseDir(file), host);
    } catch (RuntimeException e) {
      err.println(file + ": cannot start op '" + op + "': " + e.getMessage());
      err.flush();
      return ExitCodes.START_FAILED;
    }
    server.stopOnShutdown(Duration.ofSeconds(graceSeconds));
    server.blockUntilShutdown();
    return ExitCodes.OK;
  }

  private OpSpec servedOp(PipelineSpec spec) {
    return spec.ops().stream()
        .filter(o -> o.name().equals(op))
        .findFirst()
        .orElseThrow(
            () ->
                new ParameterException(
                    command.commandLine(),
                    "--op: "
                        + file
                        + " has no op '"
                        + op
                        + "'; its ops: "
                        + String.join(", ", spec.ops().stream().map(OpSpec::name).toList())));
  }

  private TraceSpec traceFlags() {
    try {
      return TraceConfigFlags.parse(traceConfig);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  /**
   * Checks the trace section as the flags left it (the spec was valid without them), with the
   * spec's own rules; prints the problems and returns false when there are some.
   */
  private boolean traceProblems(PipelineSpec spec, PrintWriter err) {
    List<Problem> problems =
        SpecValidator.validate(spec, null).stream()
            .filter(p -> p.path().startsWith("trace"))
            .toList();
    for (Problem p : problems) {
      err.println(file + " with --trace-config: " + p.path() + ": " + p.message());
    }
    err.flush();
    return problems.isEmpty();
  }

  /**
   * @param served the op this process serves alone; null when it serves the pipeline
   */
  private PipelineSpec withOverrides(PipelineSpec spec, TraceSpec traceFlags, OpSpec served) {
    ServerSpec s = spec.server();
    Integer opPort = served == null ? null : OpServer.endpointsPort(served);
    ServerSpec server =
        new ServerSpec(
            s.name(),
            httpPort != null ? httpPort : s.httpPort(),
            grpcPort != null ? grpcPort : opPort != null ? opPort : s.grpcPort(),
            adminPort != null ? adminPort : s.adminPort(),
            s.workers(),
            s.maxBodyBytes(),
            s.pluginDir());
    return new PipelineSpec(
        server, spec.dag(), spec.ops(), TraceConfigFlags.overlay(spec.trace(), traceFlags));
  }

  private void checkPort(String option, Integer port) {
    if (port != null && (port < 0 || port > 65535)) {
      throw new ParameterException(
          command.commandLine(),
          option + " must be within 0..65535 (0 picks a free port), got " + port);
    }
  }
}
