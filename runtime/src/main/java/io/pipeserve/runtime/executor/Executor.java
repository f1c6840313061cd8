package io.pipeserve.runtime.executor;

import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.runtime.channel.Channel;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.JavaOps;
import io.pipeserve.runtime.op.Op;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.profile.RequestProfile;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.TraceAttributes;
import io.pipeserve.runtime.trace.file.TimestampNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests through the DAG: RequestOp → ops → ResponseOp. Every admitted request completes
 * exactly once: with the sink op's output sample, or exceptionally with a {@link PipelineException}
 * (OVERLOADED when every channel slot is taken, TIMEOUT past the deadline, CLOSED_ERROR once
 * closing, or the op's error).
 *
 * <p>Memory stays bounded under any load: at most {@code dag.channelSize} requests are in flight,
 * so no channel holds more; a request beyond that is refused at once rather than queued.
 *
 * <p>An op whose spec names {@code endpoints} runs in processes of its own: the executor starts no
 * workers for it and hands each of its ready samples to its {@link OpClient} instead.
 */
public final class Executor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Executor.class);
  static final String REQUEST = "@request";

  private final PipelineSpec spec;
  private final Map<String, Node> nodes;
  private final List<Node> roots = new ArrayList<>();
  private final Semaphore slots;
  private final AtomicLong dataIds = new AtomicLong();
  private final Map<Long, Request> inFlight = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final List<Thread> workers = new ArrayList<>();
  private final OpObserver observer;
  private volatile boolean closed;

  private Executor(PipelineSpec spec, Map<String, Node> nodes, OpObserver observer) {
    this.spec = spec;
    this.nodes = nodes;
    this.observer = observer;
    this.slots = new Semaphore(spec.dag().channelSize());
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, r -> daemon(r, "pipeserve-timer"));
    // Nearly every deadline is cancelled (the request answered first): without this, cancelled
    // deadlines would pile up in the queue for requestTimeoutMs each.
    timer.setRemoveOnCancelPolicy(true);
    this.timer = timer;
    for (Node n : nodes.values()) {
      for (String input : n.spec.inputs()) {
        nodes.get(input).consumers.add(n);
      }
      if (n.spec.inputs().isEmpty()) {
        roots.add(n);
      }
    }
    long sinks = nodes.values().stream().filter(Node::isSink).count();
    if (sinks != 1 || roots.isEmpty()) {
      close();
      throw new IllegalStateException(
          "the DAG needs exactly one op that no op reads (the response) and at least one op"
              + " reading the request; run `pipeserve validate` for details");
    }
  }

  /**
   * Builds every op (loads models, creates steps) and starts the workers.
   *
   * @param baseDir the spec file's directory: model and step file paths resolve against it
   * @throws IllegalStateException naming the op when one cannot be built
   */
  public static Executor start(PipelineSpec spec, Path baseDir) {
    return start(spec, baseDir, OpObserver.NONE);
  }

  /**
   * Builds every op and starts the workers, reporting stage times and outcomes to {@code observer}.
   */
  public static Executor start(PipelineSpec spec, Path baseDir, OpObserver observer) {
    return start(spec, baseDir, observer, OpClient.Factory.NONE);
  }

  /**
   * Builds every op that runs here and connects the clients of those that run in processes of their
   * own (ops with {@code endpoints}), then starts the workers.
   *
   * @param remotes connects the client of each op with endpoints
   */
  public static Executor start(
      PipelineSpec spec, Path baseDir, OpObserver observer, OpClient.Factory remotes) {
    ClassLoader plugins =
        JavaOps.pluginLoader(
            spec.server().pluginDir() == null ? null : baseDir.resolve(spec.server().pluginDir()));
    Map<String, Node> nodes = new LinkedHashMap<>();
    try {
      for (int i = 0; i < spec.ops().size(); i++) {
        OpSpec op = spec.ops().get(i);
        List<String> inputs = op.inputs().isEmpty() ? List.of(REQUEST) : op.inputs();
        for (String in : op.inputs()) {
          if (!nodes.containsKey(in) && spec.ops().stream().noneMatch(o -> o.name().equals(in))) {
            throw new IllegalStateException("ops[" + i + "].inputs: unknown op '" + in + "'");
          }
        }
        Node node =
            op.endpoints() != null
                ? new Node(op, remotes.connect(op, i), inputs)
                : new Node(Op.create(op, i, spec.dag(), baseDir, plugins), inputs);
        nodes.put(op.name(), node);
      }
    } catch (RuntimeException e) {
      nodes.values().forEach(Node::close);
      throw e;
    }
    Executor executor = new Executor(spec, nodes, observer);
    executor.startWorkers();
    return executor;
  }

  private void startWorkers() {
    for (Node n : nodes.values()) {
      if (n.isRemote()) {
        continue; // its samples are sent on as they become ready: see dispatch
      }
      for (int i = 0; i < n.spec.concurrency(); i++) {
        Worker worker = new Worker(n, i, this, timer);
        if (i == 0) {
          n.inline = worker;
        }
        Thread t = daemon(worker, "op-" + n.name() + "-" + i);
        t.start();
        workers.add(t);
      }
    }
    log.info(
        "pipeline '{}' started: {} ops, {} workers, channel size {}",
        spec.server().name(),
        nodes.size(),
        workers.size(),
        spec.dag().channelSize());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Submits one request. Never blocks.
   *
   * @param logId the caller's log id (0 for none)
   * @param fields the request's fields (Paddle key/value strings and tensors)
   * @param timeoutMs the caller's deadline in ms; 0 or less means the dag's requestTimeoutMs (a
   *     caller cannot extend the dag's deadline)
   */
  public CompletableFuture<Sample> submit(long logId, Map<String, Object> fields, long timeoutMs) {
    return submit(logId, fields, timeoutMs, null);
  }

  /**
   * Submits one traced request: the executor records the pipeline trace's REQUEST_START,
   * INFER_RESPONSE_COMPLETE and REQUEST_END and each op's child trace; the caller (the gateway)
   * adds its own timestamps and finishes the trace once the answer is sent.
   *
   * @param trace the request's trace; null when it is not traced
   */
  public CompletableFuture<Sample> submit(
      long logId, Map<String, Object> fields, long timeoutMs, RequestTracer trace) {
    return submit(null, logId, fields, timeoutMs, trace);
  }

  /**
   * Submits one request to a single op, as if the request were that op's only input: it waits in
   * the op's channel, is batched with the op's other work and answered with the op's output, which
   * goes no further. This is how an op is served as a model of its own (Open Inference Protocol).
   *
   * @param op the op to run; null runs the whole DAG
   * @return fails with NO_SERVICE when there is no such op
   */
  public CompletableFuture<Sample> submit(
      String op, long logId, Map<String, Object> fields, long timeoutMs, RequestTracer trace) {
    Node only = op == null ? null : nodes.get(op);
    if (op != null && only == null) {
      return CompletableFuture.failedFuture(
          new PipelineException(
              ErrorCode.NO_SERVICE,
              "pipeline '" + spec.server().name() + "' has no op '" + op + "'"));
    }
    if (closed) {
      return refused(new PipelineException(ErrorCode.CLOSED_ERROR, "the server is shutting down"));
    }
    if (!slots.tryAcquire()) {
      return refused(overloaded());
    }
    long deadlineMs = effectiveTimeout(timeoutMs);
    long now = System.nanoTime();
    // pipeline.profile=1 asks for the request's own stage times; the ops never see the key.
    boolean wantsProfile = RequestProfile.KEY_ON.equals(fields.get(RequestProfile.KEY));
    if (fields.containsKey(RequestProfile.KEY)) {
      fields = new LinkedHashMap<>(fields);
      fields.remove(RequestProfile.KEY);
    }
    Request request =
        new Request(
            dataIds.incrementAndGet(),
            logId,
            now,
            deadlineMs > 0 ? now + TimeUnit.MILLISECONDS.toNanos(deadlineMs) : Long.MAX_VALUE,
            trace,
            wantsProfile ? new RequestProfile() : null,
            only);
    if (trace != null) {
      trace.timestamp(TimestampNames.REQUEST_START, now);
      trace.attribute(TraceAttributes.DATA_ID, request.dataId);
    }
    inFlight.put(request.dataId, request);
    if (deadlineMs > 0) {
      request.deadline =
          timer.schedule(() -> expire(request, deadlineMs), deadlineMs, TimeUnit.MILLISECONDS);
    }
    if (only != null) {
      request.stage = only.waiting;
      // The op's channel waits for each of its inputs: the request stands in for all of them.
      for (String input : only.inputs) {
        put(only, input, request, new Sample(request.dataId, logId, fields));
      }
      return request.future;
    }
    for (Node root : roots) {
      request.stage = root.waiting;
      put(root, REQUEST, request, new Sample(request.dataId, logId, fields));
    }
    return request.future;
  }

  /**
   * The refusal a request arriving now would get (CLOSED_ERROR or OVERLOADED), or null when it
   * would be admitted. A gateway asks before reading a body, so that under overload a refusal costs
   * neither the read nor the parse; {@link #submit} still decides.
   */
  public PipelineException refusal() {
    if (closed) {
      return new PipelineException(ErrorCode.CLOSED_ERROR, "the server is shutting down");
    }
    return slots.availablePermits() == 0 ? overloaded() : null;
  }

  private PipelineException overloaded() {
    return new PipelineException(
        ErrorCode.OVERLOADED,
        "pipeline '"
            + spec.server().name()
            + "' is full: all "
            + spec.dag().channelSize()
            + " channel slots are in use (dag.channelSize); retry later");
  }

  private CompletableFuture<Sample> refused(PipelineException e) {
    observer.request(0, 0, e.errNo());
    return CompletableFuture.failedFuture(e);
  }

  private long effectiveTimeout(long callerMs) {
    long dagMs = spec.dag().requestTimeoutMs();
    if (callerMs <= 0) {
      return dagMs;
    }
    return dagMs <= 0 ? callerMs : Math.min(callerMs, dagMs);
  }

  private void expire(Request request, long deadlineMs) {
    fail(
        request,
        new PipelineException(
            ErrorCode.TIMEOUT,
            "request deadline of " + deadlineMs + " ms exceeded " + request.stage));
  }

  /** Requests admitted and not yet completed. */
  public int inFlight() {
    return inFlight.size();
  }

  /** The pipeline spec this executor runs. */
  public PipelineSpec spec() {
    return spec;
  }

  /** The running op of that name; null when there is none, or when it runs elsewhere. */
  public Op op(String name) {
    Node n = nodes.get(name);
    return n == null ? null : n.op;
  }

  /** Entries in each op's channel, by op name. */
  public Map<String, Integer> channelSizes() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    nodes.forEach((name, n) -> sizes.put(name, n.channel.size()));
    return sizes;
  }

  boolean isClosed() {
    return closed;
  }

  /** The request still waiting for its answer; null once answered. */
  Request request(long dataId) {
    return inFlight.get(dataId);
  }

  void fail(Request request, PipelineException e) {
    if (!request.claim()) {
      return;
    }
    release(request, e.errNo());
    request.future.completeExceptionally(e);
    if (e.code() != ErrorCode.CLOSED_ERROR) {
      log.warn(
          "data_id={} log_id={} failed: err_no={} {}",
          request.dataId,
          request.logId,
          e.errNo(),
          e.getMessage());
    }
  }

  /**
   * Hands an op's output on: to its consumers' channels, or as the response; then reports the
   * sample's stage times (out measured up to now).
   */
  void emit(Node from, Request request, Sample sample, OpObserver.OpTimes times) {
    if (request.profile != null) {
      request.profile.add(times); // before handing on: the answer may follow at once
    }
    if (from.isSink() || from == request.only) {
      observer.sample(times);
      if (request.profile != null) {
        sample.put(RequestProfile.KEY, request.profile.format(request.admittedNanos));
      }
      if (request.claim()) {
        release(request, 0);
        request.future.complete(sample);
      }
      return;
    }
    Node next = from.consumers.size() == 1 ? from.consumers.get(0) : null;
    if (next != null && next.tryInlineTurn()) {
      // The next op is cheaper than waking one of its workers: run it on this thread.
      observer.sample(withOutEnd(times, System.nanoTime()));
      request.stage = next.waiting;
      try {
        next.inline.runInline(request, sample);
      } finally {
        next.turns.release();
      }
      return;
    }
    boolean fanOut = from.consumers.size() > 1;
    for (Node to : from.consumers) {
      request.stage = to.waiting;
      put(to, from.name(), request, fanOut ? sample.copy() : sample);
    }
    observer.sample(withOutEnd(times, System.nanoTime()));
  }

  private static OpObserver.OpTimes withOutEnd(OpObserver.OpTimes t, long outEnd) {
    return new OpObserver.OpTimes(
        t.op(),
        t.worker(),
        t.dataId(),
        t.readyNanos(),
        t.prepStart(),
        t.prepEnd(),
        t.midpStart(),
        t.midpEnd(),
        t.postpStart(),
        t.postpEnd(),
        outEnd,
        t.batchIndex(),
        t.batchSamples(),
        t.batchItems());
  }

  /**
   * Frees what an answered request held (its slot, its channel entries, its deadline) before its
   * future completes, and ends the executor's part of its trace (the gateway finishes the trace
   * once the answer is sent).
   */
  private void release(Request request, int errNo) {
    long end = System.nanoTime();
    if (request.trace != null) {
      request.trace.timestamp(TimestampNames.INFER_RESPONSE_COMPLETE, end);
      request.trace.timestamp(TimestampNames.REQUEST_END, end);
    }
    ScheduledFuture<?> deadline = request.deadline;
    if (deadline != null) {
      deadline.cancel(false);
    }
    inFlight.remove(request.dataId);
    observer.request(request.dataId, end - request.admittedNanos, errNo);
    for (Node n : nodes.values()) {
      n.channel.discard(request.dataId);
    }
    slots.release();
  }

  private void put(Node to, String from, Request request, Sample sample) {
    if (request.trace != null) {
      request.trace.opStart(to.name(), System.nanoTime());
    }
    to.channel.put(from, sample);
    // Completion discards the request from every channel; a put that raced past it must not stay.
    if (request.isDone()) {
      to.channel.discard(request.dataId);
    }
    if (to.isRemote()) {
      dispatch(to);
    }
  }

  /**
   * Sends the ready samples of a remote op's channel to its client. Such an op has no workers: the
   * thread whose put completed a sample (all its inputs delivered) sends it on at once, saving the
   * wake-up of a thread per hop; the client never blocks.
   */
  private void dispatch(Node node) {
    for (Channel.Entry e = node.channel.take(); e != null; e = node.channel.take()) {
      Request request = inFlight.get(e.sample().dataId());
      if (request != null) {
        request.stage = node.processing;
        node.client.send(e.sample(), new RemoteHop(this, node, request, e.readyNanos()));
      }
    }
  }

  /** Stops the workers and releases the models; requests still in flight fail with CLOSED_ERROR. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    PipelineException closing =
        new PipelineException(ErrorCode.CLOSED_ERROR, "the server closed before answering");
    for (Request r : List.copyOf(inFlight.values())) {
      fail(r, closing);
    }
    nodes.values().forEach(n -> n.channel.close());
    for (Thread t : workers) {
      t.interrupt();
    }
    for (Thread t : workers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    timer.shutdownNow();
    nodes.values().forEach(Node::close);
  }
}
