package io.pipeserve.bench.cli;

import io.pipeserve.bench.baseline.BaselineResponse;
import io.pipeserve.bench.baseline.BaselineServer;
import io.pipeserve.bench.client.Payloads;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves the baseline until interrupted, for runs against it from another process. */
@Command(
    name = "baseline-server",
    mixinStandardHelpOptions = true,
    description = "Bare Vert.x HTTP and gRPC handlers answering a fixed Paddle response.")
final class BaselineServerCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
  String host;

  @Option(names = "--http-port", defaultValue = "0", description = "0 picks a free port.")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "0", description = "0 picks a free port.")
  int grpcPort;

  @Option(
      names = "--event-loops",
      description = "Event loops (default: the cores, as the pipeline server).")
  Integer eventLoops;

  @Option(
      names = "--response",
      description = "The Paddle JSON response to answer, @file or inline (default: a small one).")
  String response;

  @Override
  public Integer call() throws InterruptedException {
    BaselineResponse answer =
        response == null
            ? BaselineResponse.defaults()
            : BaselineResponse.ofJson(Payloads.text(response));
    int loops = eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
    BaselineServer server = BaselineServer.start(host, httpPort, grpcPort, loops, answer);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.printf(
        "baseline server on %s: HTTP port %d (POST any path), gRPC port %d, %d event loops%n",
        host, server.httpPort(), server.grpcPort(), loops);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
