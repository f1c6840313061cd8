package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeserve.api.EndpointsSpec.HostPort;
import io.pipeserve.api.OpSpec;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.executor.OpClient;
import io.pipeserve.runtime.executor.OpObserver;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.testing.OpProcess;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.pipeserve.runtime.trace.RequestTracer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicas behind a DNS name come and go (a headless Service as pods start and stop): the
 * client follows what the name resolves to. The lookup is the one thing faked here; the replicas
 * are real processes on one port of two loopback addresses, as pods of one Service are.
 */
class ReplicaDiscoveryTest {
  private static final HostPort FIRST = new HostPort("127.0.0.2", 0);
  private static final HostPort SECOND = new HostPort("127.0.0.3", 0);

  @TempDir Path dir;
  private final List<OpProcess> processes = new ArrayList<>();
  private final AtomicReference<List<HostPort>> dns = new AtomicReference<>(List.of());
  private final AtomicLong dataIds = new AtomicLong();
  private Vertx vertx;
  private ChannelClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    for (OpProcess p : processes) {
      p.close();
    }
  }

  @Test
  void replicasThatJoinAndLeaveTheName_getWorkWhileTheyAreInIt() throws Exception {
    int port = portFreeOnBoth();
    String yaml =
        """
        server: {name: echo, httpPort: 0, grpcPort: 0}
        ops:
          - name: echo
            kind: java
            className: %s
            params: {suffix: "-e"}
            endpoints: {dns: 'echo.test:%d', refreshMs: 100}
        """
            .formatted(TestOps.Append.class.getName(), port);
    Path spec = Files.writeString(dir.resolve("echo.yaml"), yaml);
    OpProcess first = OpProcess.start(spec, "echo", FIRST.host(), port);
    OpProcess second = OpProcess.start(spec, "echo", SECOND.host(), port);
    processes.addAll(List.of(first, second));
    first.awaitReady();
    second.awaitReady();
    HostPort one = new HostPort(FIRST.host(), port);
    HostPort two = new HostPort(SECOND.host(), port);
    OpSpec op = Specs.yaml(yaml).ops().get(0);
    vertx = Vertx.vertx();
    dns.set(List.of(one));
    client = new ChannelClient(op, vertx, dns::get);

    await().atMost(Duration.ofSeconds(20)).until(() -> client.readyReplicas().equals(List.of(one)));
    sendAll(10);
    assertThat(answered(first)).isEqualTo(10);
    assertThat(answered(second)).isZero();

    dns.set(List.of(one, two));
    await().atMost(Duration.ofSeconds(20)).until(() -> client.readyReplicas().contains(two));
    sendAll(10);
    assertThat(answered(second)).as("the replica that joined").isPositive();

    dns.set(List.of(two));
    await().atMost(Duration.ofSeconds(20)).until(() -> client.readyReplicas().equals(List.of(two)));
    double before = answered(first);
    sendAll(10);
    assertThat(answered(first)).as("the replica that left").isEqualTo(before);
    assertThat(answered(second) + answered(first)).isEqualTo(30);
  }

  @Test
  void nameResolvingToNothing_isNotReady_andSaysSo() throws Exception {
    OpSpec op =
        Specs.yaml(
                "ops: [{name: gone, kind: none, endpoints: {dns: 'gone.test:9', refreshMs: 100}}]")
            .ops()
            .get(0);
    vertx = Vertx.vertx();
    client = new ChannelClient(op, vertx, dns::get);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "op 'gone' has no ready replica: its endpoints resolve to no address"
                    .equals(client.notReady()));
  }

  /** Sends {@code n} samples one after another; each must come back with the op's suffix. */
  private void sendAll(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      TestHop hop = new TestHop();
      long id = dataIds.incrementAndGet();
      client.send(new Sample(id, 0, Map.of("text", "s" + id)), hop);
      Sample out = hop.result.get(10, TimeUnit.SECONDS);
      assertThat(out.dataId()).isEqualTo(id);
      assertThat(out.string("text")).isEqualTo("s" + id + "-e");
    }
  }

  private static double answered(OpProcess p) throws Exception {
    return p.metric("pipeserve_requests_total", "");
  }

  private static int portFreeOnBoth() {
    for (int attempt = 0; ; attempt++) {
      int port = OpProcess.freePort(FIRST.host());
      try (var s =
          new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(SECOND.host()))) {
        return port;
      } catch (java.io.IOException e) {
        if (attempt > 20) {
          throw new IllegalStateException("no port free on both addresses", e);
        }
      }
    }
  }

  /** A sample's trip as a test sees it: the answer completes a future. */
  private static final class TestHop implements OpClient.Hop {
    final CompletableFuture<Sample> result = new CompletableFuture<>();

    @Override
    public long readyNanos() {
      return System.nanoTime();
    }

    @Override
    public long deadlineNanos() {
      return Long.MAX_VALUE;
    }

    @Override
    public RequestTracer trace() {
      return null;
    }

    @Override
    public boolean isAnswered() {
      return result.isDone();
    }

    @Override
    public void at(String where) {}

    @Override
    public void answer(Sample output, OpObserver.OpTimes times) {
      result.complete(output);
    }

    @Override
    public void fail(PipelineException error) {
      result.completeExceptionally(error);
    }
  }
}
