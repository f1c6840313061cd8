package io.pipeserve.runtime.trace.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes finished request traces to Triton trace files from one background thread.
 *
 * <p>Request threads (event loops among them) only {@link #submit}: a lock-free enqueue bounded by
 * {@code queueCapacity}. When the queue is full the trace is dropped and counted ({@link
 * #droppedCount}) rather than blocking the request or growing without limit.
 *
 * <p>{@code log_frequency} as in Triton: N &gt; 0 writes every N request traces to {@code
 * FILE.<idx>} (idx from 0), each a complete JSON array; 0 writes everything to {@code FILE}, which
 * is (re)written as a complete array on {@link #flush} (a settings change) and {@link #close}
 * (shutdown). Like Triton's {@code TraceFile}, one writer per path keeps its index and its {@code
 * FILE} contents across {@link #changeLogFrequency} changes.
 */
public final class TraceFileWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TraceFileWriter.class);

  private final Path file;
  private final int queueCapacity;
  private final ConcurrentLinkedQueue<RequestTrace> queue = new ConcurrentLinkedQueue<>();
  // The queue's size() walks the list; a separate counter keeps the bound check O(1).
  private final AtomicInteger queued = new AtomicInteger();
  private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  // Owned by the writer thread only.
  private final StringBuilder json = new StringBuilder(4096);
  private int logFrequency;
  private int nextIndex;
  private JsonArrayFile indexed;
  private JsonArrayFile whole;
  private boolean stopping;

  TraceFileWriter(Path file, int logFrequency, int queueCapacity) {
    if (logFrequency < 0) {
      throw new IllegalArgumentException("log_frequency: must be >= 0, was " + logFrequency);
    }
    if (queueCapacity <= 0) {
      throw new IllegalArgumentException("queueCapacity: must be > 0, was " + queueCapacity);
    }
    this.file = file.toAbsolutePath();
    this.logFrequency = logFrequency;
    this.queueCapacity = queueCapacity;
    this.thread = new Thread(this::run, "trace-file-writer");
    thread.setDaemon(true);
  }

  /**
   * Starts a writer for {@code file}. {@code queueCapacity} bounds the request traces waiting to be
   * written; size it for the bursts the disk must absorb (a few thousand is plenty at rate 1).
   */
  public static TraceFileWriter start(Path file, int logFrequency, int queueCapacity)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    TraceFileWriter writer = new TraceFileWriter(file, logFrequency, queueCapacity);
    writer.startThread();
    return writer;
  }

  // Separate from the constructor so tests can fill the queue while nothing drains it.
  void startThread() {
    thread.start();
  }

  public Path file() {
    return file;
  }

  /**
   * Hands a finished request's traces to the writer; never blocks. Returns false, counting a drop,
   * when the queue is full or the writer is closed.
   */
  public boolean submit(RequestTrace trace) {
    if (closed.get()) {
      dropped.incrementAndGet();
      return false;
    }
    if (queued.incrementAndGet() > queueCapacity) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    queue.offer(trace);
    LockSupport.unpark(thread);
    return true;
  }

  /** Request traces refused because the queue was full or the writer closed, or lost to I/O. */
  public long droppedCount() {
    return dropped.get();
  }

  /** Request traces written to a file so far (FILE's share becomes visible on flush or close). */
  public long writtenCount() {
    return written.get();
  }

  /**
   * Writes what was submitted before this call: with log_frequency N the traces short of N go to
   * the next {@code FILE.<idx>}, as Triton does when a setting changes; with 0, {@code FILE} is
   * rewritten as a complete array. Completes on the writer thread; never blocks the caller.
   */
  public CompletableFuture<Void> flush() {
    return command(this::flushFiles);
  }

  /** Flushes under the old log_frequency, then applies the new one to later traces. */
  public CompletableFuture<Void> changeLogFrequency(int newLogFrequency) {
    if (newLogFrequency < 0) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("log_frequency: must be >= 0, was " + newLogFrequency));
    }
    return command(
        () -> {
          flushFiles();
          logFrequency = newLogFrequency;
        });
  }

  /** Writes everything submitted so far, completes every file and stops the thread. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Command stop = new Command(() -> stopping = true);
      commands.offer(stop);
      LockSupport.unpark(thread);
    }
    if (thread.isAlive()) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          // Shutdown must still complete the files; remember the interrupt for the caller.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    // A submit that raced close() may have enqueued after the thread's last drain.
    while (queue.poll() != null) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
    }
  }

  private CompletableFuture<Void> command(Runnable action) {
    if (closed.get()) {
      // close() already wrote everything; there is nothing left to flush.
      return CompletableFuture.completedFuture(null);
    }
    Command command = new Command(action);
    commands.offer(command);
    LockSupport.unpark(thread);
    return command.done;
  }

  private void run() {
    while (!stopping) {
      Command command = commands.poll();
      // Traces submitted before a command was issued are in the queue by now: drain them first.
      drainQueue();
      if (command != null) {
        command.run();
      } else if (queue.isEmpty() && commands.isEmpty()) {
        LockSupport.park(this);
      }
    }
    closeFiles();
  }

  private void drainQueue() {
    RequestTrace trace;
    while ((trace = queue.poll()) != null) {
      queued.decrementAndGet();
      write(trace);
    }
  }

  private void write(RequestTrace trace) {
    json.setLength(0);
    TraceJson.append(trace, json);
    String objects = json.toString();
    try {
      if (logFrequency > 0) {
        if (indexed == null) {
          indexed = JsonArrayFile.create(indexedPath(nextIndex++));
        }
        indexed.append(objects);
        if (indexed.objectCount() >= logFrequency) {
          finishIndexed();
        }
      } else {
        if (whole == null) {
          whole = JsonArrayFile.create(file);
        }
        whole.append(objects);
      }
      written.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      // Keep the thread alive: one bad trace or a full disk must not stop tracing for good.
      dropped.incrementAndGet();
      LOG.warn("trace {} not written to {}: {}", firstId(trace), file, e.toString());
    }
  }

  private void flushFiles() {
    finishIndexed();
    if (whole != null && !whole.isEmpty()) {
      try {
        whole.publish();
      } catch (IOException e) {
        LOG.warn("trace file {} not written: {}", file, e.toString());
      }
    }
  }

  private void closeFiles() {
    finishIndexed();
    if (whole != null) {
      try {
        whole.finish();
      } catch (IOException e) {
        LOG.warn("trace file {} not written: {}", file, e.toString());
      }
      whole = null;
    }
  }

  private void finishIndexed() {
    if (indexed == null) {
      return;
    }
    try {
      if (indexed.isEmpty()) {
        indexed.discard();
      } else {
        indexed.finish();
      }
    } catch (IOException e) {
      LOG.warn("trace file {} not written: {}", indexed.target(), e.toString());
    }
    indexed = null;
  }

  private Path indexedPath(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  private static long firstId(RequestTrace trace) {
    return trace.traces().get(0).id();
  }

  /** Work for the writer thread, completed there so callers can wait without blocking it. */
  private static final class Command {
    final Runnable action;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Command(Runnable action) {
      this.action = action;
    }

    void run() {
      try {
        action.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }
  }
}
