package io.pipeserve.runtime.distributed;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pipeserve.api.EndpointsSpec.HostPort;
import io.pipeserve.api.OpSpec;
import io.pipeserve.proto.channel.Replies;
import io.pipeserve.proto.channel.Result;
import io.pipeserve.proto.channel.Samples;
import io.pipeserve.proto.channel.Terms;
import io.pipeserve.proto.channel.TraceContext;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.executor.OpClient;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.trace.RequestTracer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's client of one op that runs in processes of its own. It keeps a stream to every
 * replica the op's endpoints name (resolving a DNS name again every {@code refreshMs}), and places
 * each sample on the ready replica with the fewest samples unanswered, within that replica's
 * window.
 *
 * <ul>
 *   <li>A sample that finds every ready replica's window full is refused at once (OVERLOADED: 429 /
 *       RESOURCE_EXHAUSTED): a slow op pushes back rather than letting samples pile up here.
 *   <li>When a replica fails (its stream breaks, it stops answering pings) or says it drains, its
 *       unanswered samples go to other replicas, each with the time left to its deadline; with no
 *       replica to take them they wait for one, until their deadline. Only samples the executor
 *       admitted wait, so they are at most {@code dag.channelSize}.
 *   <li>Results are matched to the replica the sample is outstanding on, by data_id: a result from
 *       anywhere else is dropped, so every sample is answered once.
 * </ul>
 *
 * <p>All state lives on one Vert.x context (one event loop), where the streams' events arrive:
 * {@link #send} encodes the sample on the caller's thread and hands it over. What the loop has for
 * a replica when it is done with a task goes out as one message, so under load a stream costs a
 * write and a wake-up per batch of samples rather than per sample.
 */
final class ChannelClient implements OpClient {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelClient.class);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 2_000;
  // A replica with work outstanding is pinged this often; one that does not answer within the
  // timeout is taken for gone (a host that vanished closes no socket).
  private static final long PING_INTERVAL_MS = 1_000;
  private static final long PING_TIMEOUT_MS = 5_000;
  // Opens a stream: an empty message carries the request metadata (the op's name) to the replica.
  private static final Buffer HELLO = Buffer.buffer();

  private final String op;
  private final Vertx vertx;
  private final Context context;
  private final GrpcClient grpc;
  private final Resolver resolver;
  private final long refreshMs; // 0: a fixed list, resolved once

  // On the context only.
  private final Map<HostPort, Replica> replicas = new HashMap<>();
  private final List<Replica> order = new ArrayList<>();
  private final ArrayDeque<Attempt> waiting = new ArrayDeque<>();
  private int rotation;
  private String resolveProblem;
  private boolean closed;
  private final List<Long> timers = new ArrayList<>();
  private final List<Replica> unflushed = new ArrayList<>();

  // Samples handed over by other threads, waiting for the loop.
  private final Queue<Attempt> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean takeScheduled = new AtomicBoolean();

  // Read anywhere.
  private volatile String notReady;
  private volatile List<HostPort> ready = List.of();
  private final LongAdder resent = new LongAdder();

  ChannelClient(OpSpec spec, Vertx vertx, Resolver resolver) {
    this.op = spec.name();
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.resolver = resolver;
    this.refreshMs = spec.endpoints().dns() != null ? spec.endpoints().refreshPeriodMs() : 0;
    this.grpc =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions().setMaxMessageSize(ChannelProtocol.MAX_MESSAGE_BYTES),
            ChannelProtocol.clientOptions());
    this.notReady = "op '" + op + "': looking up its replicas";
    context.runOnContext(
        v -> {
          refresh();
          if (refreshMs > 0) {
            timers.add(vertx.setPeriodic(refreshMs, id -> refresh()));
          }
          timers.add(vertx.setPeriodic(PING_INTERVAL_MS, id -> ping()));
        });
  }

  // --- sending ---------------------------------------------------------------------------------

  @Override
  public void send(Sample sample, Hop hop) {
    byte[] body;
    try {
      body = encode(sample, hop.trace());
    } catch (PipelineException e) {
      hop.fail(e);
      return;
    }
    incoming.add(new Attempt(sample.dataId(), sample.logId(), body, hop));
    if (takeScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> takeIncoming());
    }
  }

  /** Places every sample handed over since the last time: one wake-up of the loop for them all. */
  private void takeIncoming() {
    takeScheduled.set(false);
    for (Attempt a = incoming.poll(); a != null; a = incoming.poll()) {
      place(a, true);
    }
  }

  /** The part of the message that is the same for every attempt: encoded once, here. */
  private byte[] encode(Sample sample, RequestTracer trace) {
    io.pipeserve.proto.channel.Sample.Builder wire =
        io.pipeserve.proto.channel.Sample.newBuilder()
            .setDataId(sample.dataId())
            .setLogId(sample.logId())
            .addAllFields(ChannelCodec.encode(sample.fields(), op));
    if (trace != null) {
      TraceContext.Builder context = TraceContext.newBuilder().setParentTraceId(trace.id());
      if (trace.caller().isValid()) {
        context.setTraceparent(
            "00-"
                + trace.caller().getTraceId()
                + "-"
                + trace.caller().getSpanId()
                + "-"
                + trace.caller().getTraceFlags().asHex());
      }
      wire.setTrace(context);
    }
    return wire.build().toByteArray();
  }

  /**
   * Sends the attempt to the least busy replica with room; refuses a new sample when every ready
   * replica is full; otherwise (a resend, or no replica ready) it waits for room.
   */
  private void place(Attempt a, boolean fresh) {
    if (closed || a.hop.isAnswered()) {
      return;
    }
    Replica r = pick();
    if (r != null) {
      transmit(r, a);
    } else if (fresh && order.stream().anyMatch(Replica::isReady)) {
      a.hop.fail(overloaded());
    } else {
      waiting.removeIf(w -> w.hop.isAnswered());
      waiting.add(a);
      a.hop.at("waiting for a replica of op '" + op + "'");
    }
  }

  /** The ready replica with room and the fewest samples outstanding; ties go round in turn. */
  private Replica pick() {
    Replica best = null;
    int n = order.size();
    for (int i = 0; i < n; i++) {
      Replica r = order.get((rotation + i) % n);
      if (r.hasRoom() && (best == null || r.outstanding.size() < best.outstanding.size())) {
        best = r;
      }
    }
    rotation = n == 0 ? 0 : (rotation + 1) % n;
    return best;
  }

  private void transmit(Replica r, Attempt a) {
    long now = System.nanoTime();
    long deadline = a.hop.deadlineNanos();
    if (deadline <= now) {
      return; // the request's own deadline answers it
    }
    long timeoutMs =
        deadline == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now));
    // Appending a second encoding of the message sets the fields it holds (protobuf merges them).
    byte[] perAttempt =
        io.pipeserve.proto.channel.Sample.newBuilder()
            .setTimeoutMs(timeoutMs)
            .setAttempt(a.attempt)
            .build()
            .toByteArray();
    if (r.batch == null) {
      r.batch = Buffer.buffer(a.body.length + perAttempt.length + 8);
      if (unflushed.isEmpty()) {
        context.runOnContext(v -> flush()); // after the task at hand, on this loop: no wake-up
      }
      unflushed.add(r);
    }
    ChannelProtocol.appendEntry(r.batch, Samples.SAMPLES_FIELD_NUMBER, a.body, perAttempt);
    a.sentNanos = now;
    r.outstanding.put(a.dataId, a);
    a.hop.at(r.sentTo);
  }

  /** Writes what each replica got since the last flush, as one message per replica. */
  private void flush() {
    for (Replica r : unflushed) {
      Buffer batch = r.batch;
      r.batch = null;
      if (r.stream != null && batch != null) {
        r.stream.write(batch);
      }
    }
    unflushed.clear();
  }

  private PipelineException overloaded() {
    long ready = order.stream().filter(Replica::isReady).count();
    String replicas =
        ready == 1
            ? "its one ready replica holds as many samples as it takes"
            : "its " + ready + " ready replicas hold as many samples as they take";
    return new PipelineException(
        ErrorCode.OVERLOADED, "op '" + op + "' is busy: " + replicas + "; retry later");
  }

  // --- receiving -------------------------------------------------------------------------------

  private void onReply(Replica r, GrpcClientRequest<Buffer, Buffer> stream, Buffer bytes) {
    if (r.stream != stream) {
      return; // a stream given up already
    }
    long received = System.nanoTime();
    Replies replies;
    try {
      replies = Replies.parseFrom(bytes.getBytes());
    } catch (InvalidProtocolBufferException e) {
      broken(r, stream, "sent a malformed reply: " + e.getMessage());
      return;
    }
    if (replies.hasTerms()) {
      onTerms(r, replies.getTerms());
    }
    for (Result result : replies.getResultsList()) {
      onResult(r, result, received);
    }
    if (r.retired && r.outstanding.isEmpty()) {
      forget(r);
    }
    drainWaiting();
  }

  private void onTerms(Replica r, Terms terms) {
    boolean wasReady = r.isReady();
    r.window = terms.getWindow();
    r.draining = terms.getDraining();
    r.backoffMs = MIN_BACKOFF_MS;
    r.problem = r.draining ? "draining" : null;
    if (r.isReady() != wasReady) {
      LOG.info(
          "op '{}' replica {} is {}", op, r.address, r.isReady() ? "ready" : "not ready: draining");
    }
    readinessChanged();
  }

  private void onResult(Replica r, Result result, long received) {
    Attempt a = r.outstanding.remove(result.getDataId());
    if (a == null) {
      return; // not outstanding there: answered by another attempt already
    }
    HopTimes hop = new HopTimes(a.sentNanos, received, result.getTiming());
    RequestTracer trace = a.hop.trace();
    if (trace != null) {
      hop.trace(trace, op, a.hop.readyNanos());
    }
    if (result.hasError()) {
      PipelineException e = ChannelCodec.decode(result.getError());
      if (e.code() == ErrorCode.CLOSED_ERROR) {
        resend(a); // the replica is draining: not the op's answer
      } else {
        a.hop.fail(e);
      }
    } else {
      try {
        Sample out = new Sample(a.dataId, a.logId, ChannelCodec.decode(result.getFieldsList()));
        a.hop.answer(out, hop.opTimes(op, a.dataId, a.hop.readyNanos()));
      } catch (PipelineException e) {
        a.hop.fail(e.in("the reply of op '" + op + "' at " + r.address));
      }
    }
  }

  private void drainWaiting() {
    while (!waiting.isEmpty()) {
      Attempt a = waiting.peek();
      if (a.hop.isAnswered()) {
        waiting.poll();
        continue;
      }
      Replica r = pick();
      if (r == null) {
        return;
      }
      waiting.poll();
      transmit(r, a);
    }
  }

  private void resend(Attempt a) {
    a.attempt++;
    resent.increment();
    place(a, false);
  }

  // --- replicas --------------------------------------------------------------------------------

  private void refresh() {
    vertx
        .executeBlocking(resolver::resolve, false)
        .onComplete(
            ar -> {
              if (closed) {
                return;
              }
              if (ar.succeeded()) {
                resolveProblem = null;
                reconcile(ar.result());
              } else {
                // Keep the replicas known: a failed lookup says nothing about them.
                resolveProblem = "cannot resolve its endpoints: " + ar.cause();
                readinessChanged();
              }
            });
  }

  private void reconcile(List<HostPort> addresses) {
    for (HostPort address : addresses) {
      Replica r = replicas.get(address);
      if (r == null) {
        r = new Replica(address, op);
        replicas.put(address, r);
        order.add(r);
        LOG.info("op '{}': replica {} found", op, address);
      }
      r.retired = false;
      if (!r.reconnectScheduled) {
        connect(r); // one that failed is tried again on its own schedule
      }
    }
    for (Replica r : List.copyOf(order)) {
      if (!addresses.contains(r.address) && !r.retired) {
        LOG.info("op '{}': replica {} is gone from its endpoints", op, r.address);
        r.retired = true;
        if (r.outstanding.isEmpty()) {
          forget(r);
        }
      }
    }
    readinessChanged();
  }

  private void connect(Replica r) {
    if (closed || r.retired || r.connecting || r.stream != null) {
      return;
    }
    r.connecting = true;
    grpc.request(r.socket, ChannelProtocol.CLIENT_METHOD)
        .onComplete(
            ar -> {
              r.connecting = false;
              if (ar.failed()) {
                r.problem = describe(ar.cause());
                readinessChanged();
                reconnectLater(r);
                return;
              }
              GrpcClientRequest<Buffer, Buffer> stream = ar.result();
              if (closed || r.retired) {
                stream.cancel();
                return;
              }
              r.stream = stream;
              r.window = 0; // until the replica states its terms
              r.problem = "connected, waiting for its terms";
              stream.headers().set(ChannelProtocol.OP_HEADER, op);
              stream.exceptionHandler(e -> broken(r, stream, describe(e)));
              stream
                  .response()
                  .onSuccess(response -> listen(r, stream, response))
                  .onFailure(e -> broken(r, stream, describe(e)));
              stream.write(HELLO);
            });
  }

  private void listen(
      Replica r,
      GrpcClientRequest<Buffer, Buffer> stream,
      GrpcClientResponse<Buffer, Buffer> response) {
    response.handler(bytes -> onReply(r, stream, bytes));
    response.exceptionHandler(e -> broken(r, stream, describe(e)));
    response.endHandler(
        v ->
            broken(
                r,
                stream,
                "the stream ended ("
                    + response.status()
                    + (response.statusMessage() == null ? "" : ": " + response.statusMessage())
                    + ")"));
  }

  /**
   * The replica's stream is gone: its unanswered samples go elsewhere, and it is connected again
   * unless it left the endpoints.
   */
  private void broken(Replica r, GrpcClientRequest<Buffer, Buffer> stream, String why) {
    if (r.stream != stream) {
      return; // reported already
    }
    r.stream = null;
    r.batch = null; // its attempts are among the outstanding, resent below
    r.window = 0;
    r.problem = why;
    List<Attempt> lost = new ArrayList<>(r.outstanding.values());
    r.outstanding.clear();
    if (!closed) {
      LOG.warn(
          "op '{}' replica {} failed ({}); resending its {} unanswered samples",
          op,
          r.address,
          why,
          lost.size());
    }
    readinessChanged();
    for (Attempt a : lost) {
      resend(a);
    }
    if (r.retired) {
      forget(r);
    } else {
      reconnectLater(r);
    }
  }

  private void reconnectLater(Replica r) {
    if (closed || r.retired) {
      return;
    }
    long delay = r.backoffMs;
    r.backoffMs = Math.min(MAX_BACKOFF_MS, r.backoffMs * 2);
    r.reconnectScheduled = true;
    vertx.setTimer(
        delay,
        id -> {
          r.reconnectScheduled = false;
          connect(r);
        });
  }

  /** Drops a replica that left the endpoints once it has nothing outstanding. */
  private void forget(Replica r) {
    replicas.remove(r.address);
    order.remove(r);
    if (r.stream != null) {
      GrpcClientRequest<Buffer, Buffer> stream = r.stream;
      r.stream = null;
      stream.end();
    }
    readinessChanged();
  }

  /**
   * Pings every replica with work outstanding; one that does not answer in time is taken for gone.
   */
  private void ping() {
    for (Replica r : List.copyOf(order)) {
      GrpcClientRequest<Buffer, Buffer> stream = r.stream;
      if (stream == null || r.outstanding.isEmpty() || r.pinging) {
        continue;
      }
      r.pinging = true;
      long timer =
          vertx.setTimer(
              PING_TIMEOUT_MS,
              id -> {
                r.pinging = false;
                broken(r, stream, "no answer to a ping within " + PING_TIMEOUT_MS + " ms");
                stream.connection().close();
              });
      stream
          .connection()
          .ping(Buffer.buffer(new byte[8]))
          .onComplete(
              ar -> {
                vertx.cancelTimer(timer);
                r.pinging = false;
              });
    }
  }

  // --- readiness -------------------------------------------------------------------------------

  /** Why the op cannot take samples now (no ready replica); null when it can. */
  String notReady() {
    return notReady;
  }

  /** The replicas that take samples now. */
  List<HostPort> readyReplicas() {
    return ready;
  }

  /** Samples sent again after the replica they were on failed or drained. */
  long resent() {
    return resent.sum();
  }

  private void readinessChanged() {
    ready = order.stream().filter(Replica::isReady).map(r -> r.address).toList();
    if (!ready.isEmpty()) {
      notReady = null;
      return;
    }
    StringBuilder why = new StringBuilder("op '").append(op).append("' has no ready replica");
    if (resolveProblem != null) {
      why.append(": ").append(resolveProblem);
    } else if (order.isEmpty()) {
      why.append(": its endpoints resolve to no address");
    } else {
      why.append(" (");
      for (int i = 0; i < order.size(); i++) {
        Replica r = order.get(i);
        why.append(i == 0 ? "" : "; ").append(r.address).append(": ").append(r.problem);
      }
      why.append(')');
    }
    notReady = why.toString();
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    context.runOnContext(
        v -> {
          closed = true;
          timers.forEach(vertx::cancelTimer);
          for (Replica r : order) {
            if (r.stream != null) {
              r.stream.cancel();
              r.stream = null;
            }
          }
          waiting.clear();
          grpc.close();
        });
  }

  // --- state -----------------------------------------------------------------------------------

  /** One replica of the op, and the stream to it. */
  private static final class Replica {
    final HostPort address;
    final SocketAddress socket;
    final String sentTo;
    final Map<Long, Attempt> outstanding = new HashMap<>();
    GrpcClientRequest<Buffer, Buffer> stream; // null while not connected
    Buffer batch; // samples placed since the last flush; null when none
    int window; // what its terms allow; 0 until it states them
    boolean draining;
    boolean retired; // gone from the endpoints: finishes what it has, takes nothing new
    boolean connecting;
    boolean reconnectScheduled;
    boolean pinging;
    long backoffMs = MIN_BACKOFF_MS;
    String problem = "connecting";

    Replica(HostPort address, String op) {
      this.address = address;
      this.socket = SocketAddress.inetSocketAddress(address.port(), address.host());
      this.sentTo = "in op '" + op + "' at " + address;
    }

    boolean isReady() {
      return stream != null && window > 0 && !draining && !retired;
    }

    boolean hasRoom() {
      return isReady() && outstanding.size() < window;
    }
  }

  /** A sample on its way: the bytes every attempt sends, and where it is outstanding now. */
  private static final class Attempt {
    final long dataId;
    final long logId;
    final byte[] body;
    final Hop hop;
    int attempt;
    long sentNanos;

    Attempt(long dataId, long logId, byte[] body, Hop hop) {
      this.dataId = dataId;
      this.logId = logId;
      this.body = body;
      this.hop = hop;
    }
  }
}
