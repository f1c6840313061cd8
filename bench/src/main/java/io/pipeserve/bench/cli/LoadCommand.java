package io.pipeserve.bench.cli;

import io.pipeserve.bench.baseline.BaselineResponse;
import io.pipeserve.bench.baseline.BaselineServer;
import io.pipeserve.bench.client.GrpcTarget;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.bench.client.Payloads;
import io.pipeserve.bench.client.Probe;
import io.pipeserve.bench.client.Target;
import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Mode;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Comparison;
import io.pipeserve.bench.results.ResultsBlock;
import io.pipeserve.bench.results.ResultsWriter;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.TextReport;
import io.pipeserve.proto.paddle.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Load against a running server, optionally next to an in-process baseline. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Closed- or open-loop load on a Paddle HTTP or gRPC endpoint.")
final class LoadCommand implements Callable<Integer> {
  private static final String DEFAULT_BODY =
      "{\"key\":[\"text\"],\"value\":[\"hello\"],\"logid\":0}";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--protocol", defaultValue = "http", description = "http or grpc.")
  String protocol;

  @Option(names = "--url", description = "HTTP: http://HOST:PORT/{name}/{method}.")
  URI url;

  @Option(names = "--target", description = "gRPC: HOST:PORT.")
  String target;

  @Option(
      names = "--body",
      description =
          "HTTP body (Paddle JSON), @file or inline; gRPC request when --request is unset.")
  String body;

  @Option(names = "--request", description = "gRPC: proto JSON of the Request, @file or inline.")
  String request;

  @Option(
      names = {"-c", "--concurrency"},
      defaultValue = "8",
      description = "Closed loop: concurrent clients (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--rate",
      converter = Converters.RateConverter.class,
      description = "Open loop at this rate (500/s) instead of a closed loop.")
  Double rate;

  @Option(
      names = "--max-outstanding",
      defaultValue = "1024",
      description = "Open loop: requests in flight at most; later ones count as not sent.")
  int maxOutstanding;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "30s",
      converter = Converters.DurationConverter.class,
      description = "Measured time (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = Converters.DurationConverter.class,
      description = "Unmeasured time before it (default ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--drain",
      defaultValue = "10s",
      converter = Converters.DurationConverter.class,
      description = "Wait this long for answers after the run before counting them lost.")
  Duration drain;

  @Option(names = "--io-threads", description = "Generator event loops (default: cores / 2).")
  Integer ioThreads;

  @Option(
      names = "--baseline",
      description =
          "First run the same load against an in-process bare Vert.x server answering the"
              + " target's own response, and report ratios.")
  boolean baseline;

  @Option(
      names = "--results",
      description = "Append a block to this Markdown file (needs --baseline for the ratios).")
  Path results;

  @Option(names = "--title", defaultValue = "load", description = "The block's heading.")
  String title;

  @Option(
      names = "--note",
      defaultValue = "",
      description = "A line in the block: what limits or explains the figures.")
  String note;

  @Override
  public Integer call() {
    if (results != null && !baseline) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--results needs --baseline: a block reports ratios to it");
    }
    Target main = target();
    LoadSpec load = loadSpec();
    if (!baseline) {
      System.out.print(TextReport.of(LoadGenerator.run(load, main)));
      return 0;
    }
    BaselineResponse answer = captureAnswer(main);
    try (BaselineServer server = BaselineServer.start(0, 0, answer)) {
      Result base = LoadGenerator.run(load, baselineTarget(main, server));
      Result measured = LoadGenerator.run(load, main);
      Comparison comparison =
          new Comparison(new Run("baseline", base), List.of(new Run(main.protocol(), measured)));
      System.out.print(TextReport.of(comparison));
      if (results != null) {
        String command =
            "bench/run.sh "
                + spec.commandLine().getParseResult().originalArgs().stream()
                    .map(LoadCommand::shellQuoted)
                    .collect(Collectors.joining(" "));
        ResultsWriter.append(
            results,
            new ResultsBlock(title, Instant.now(), Machine.current(), command, comparison, note));
        System.out.println("appended to " + results);
      }
    }
    return 0;
  }

  private Target target() {
    String json = body == null ? DEFAULT_BODY : Payloads.text(body);
    switch (protocol) {
      case "http" -> {
        if (url == null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--url is required for http");
        }
        return new HttpTarget(url, Buffer.buffer(json));
      }
      case "grpc" -> {
        if (target == null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--target HOST:PORT is required for grpc");
        }
        String requestJson = request == null ? json : Payloads.text(request);
        Request message = Payloads.parse(requestJson, Request.newBuilder(), "--request").build();
        return new GrpcTarget(hostPort(target), message);
      }
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--protocol must be http or grpc, got " + protocol);
    }
  }

  private LoadSpec loadSpec() {
    Mode mode = rate == null ? new Mode.Closed(concurrency) : new Mode.Open(rate, maxOutstanding);
    int threads = ioThreads != null ? ioThreads : LoadSpec.defaultIoThreads();
    return new LoadSpec(mode, warmup, duration, threads, drain);
  }

  private static BaselineResponse captureAnswer(Target main) {
    if (main instanceof HttpTarget http) {
      return new BaselineResponse(Probe.http(http), BaselineResponse.defaults().grpcResponse());
    }
    return BaselineResponse.of(Probe.grpc((GrpcTarget) main));
  }

  private static Target baselineTarget(Target main, BaselineServer server) {
    if (main instanceof HttpTarget http) {
      URI u = http.url();
      URI local = URI.create("http://127.0.0.1:" + server.httpPort() + u.getRawPath());
      return new HttpTarget(local, http.body());
    }
    GrpcTarget grpc = (GrpcTarget) main;
    return new GrpcTarget(
        SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1"), grpc.request());
  }

  /** The argument as a shell would need it, so the recorded command can be pasted back. */
  static String shellQuoted(String arg) {
    if (arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private SocketAddress hostPort(String value) {
    int colon = value.lastIndexOf(':');
    try {
      return SocketAddress.inetSocketAddress(
          Integer.parseInt(value.substring(colon + 1)), value.substring(0, colon));
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--target must be HOST:PORT, got '" + value + "'");
    }
  }
}
