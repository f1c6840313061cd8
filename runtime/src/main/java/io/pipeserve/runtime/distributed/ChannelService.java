package io.pipeserve.runtime.distributed;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pipeserve.proto.channel.Replies;
import io.pipeserve.proto.channel.Result;
import io.pipeserve.proto.channel.Sample;
import io.pipeserve.proto.channel.Samples;
import io.pipeserve.proto.channel.Terms;
import io.pipeserve.proto.channel.Timing;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.executor.OpObserver.OpTimes;
import io.pipeserve.runtime.gateway.Failures;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The op process's end of the channel service: a stream per connected gateway. Each sample goes to
 * the op's executor with the time left to its request's deadline, so every gateway's samples meet
 * in the op's one channel and batches; its result goes back on the stream it came from, with the
 * op's stage times.
 *
 * <p>A stream may hold {@link Terms#getWindow()} samples unanswered: the op's channel size. A
 * gateway that keeps to the window is never refused for it; samples beyond it, and beyond what the
 * op's executor admits, are answered OVERLOADED at once. Nothing is buffered past that.
 */
final class ChannelService {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelService.class);

  private final String op;
  private final int window;
  private final Executor executor;
  private final StageTimes times;
  private final Set<Peer> peers = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  ChannelService(String op, int window, Executor executor, StageTimes times) {
    this.op = op;
    this.window = window;
    this.executor = executor;
    this.times = times;
  }

  void mount(GrpcServer server) {
    server.callHandler(ChannelProtocol.SERVER_METHOD, this::open);
  }

  /** Why the op takes no samples; null when it takes them. */
  String notReady() {
    return draining ? "op '" + op + "' is draining (shutting down)" : null;
  }

  /** Tells every gateway to send no more; samples already sent are still answered. */
  void drain() {
    draining = true;
    peers.forEach(Peer::sendTerms);
  }

  private void open(GrpcServerRequest<Buffer, Buffer> call) {
    String wanted = call.headers().get(ChannelProtocol.OP_HEADER);
    if (!op.equals(wanted)) {
      call.response()
          .status(GrpcStatus.NOT_FOUND)
          .statusMessage("this process serves op '" + op + "', not '" + wanted + "'")
          .end();
      return;
    }
    Peer peer = new Peer(call, Vertx.currentContext());
    peers.add(peer);
    call.handler(peer::receive);
    call.endHandler(v -> peer.close(true));
    call.exceptionHandler(e -> peer.close(false));
    peer.sendTerms();
    LOG.info("gateway {} connected", call.connection().remoteAddress());
  }

  /** One gateway's stream. Its state lives on the stream's event loop. */
  private final class Peer {
    private final GrpcServerRequest<Buffer, Buffer> call;
    private final Context context;
    // Results encoded on worker threads, waiting for the event loop to write them together.
    private final Queue<byte[]> answered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private int outstanding;
    private boolean closed;

    Peer(GrpcServerRequest<Buffer, Buffer> call, Context context) {
      this.call = call;
      this.context = context;
    }

    void sendTerms() {
      Terms terms =
          Terms.newBuilder()
              .setOp(op)
              .setWindow(draining ? 0 : window)
              .setDraining(draining)
              .build();
      byte[] bytes = Replies.newBuilder().setTerms(terms).build().toByteArray();
      context.runOnContext(v -> write(Buffer.buffer(bytes)));
    }

    void receive(Buffer bytes) {
      long received = System.nanoTime();
      Samples samples;
      try {
        samples = Samples.parseFrom(bytes.getBytes());
      } catch (InvalidProtocolBufferException e) {
        fail(GrpcStatus.INVALID_ARGUMENT, "not a pipeserve.channel.Samples: " + e.getMessage());
        return;
      }
      List<byte[]> refused = new ArrayList<>(0);
      for (Sample sample : samples.getSamplesList()) {
        PipelineException refusal;
        if (draining) {
          refusal =
              new PipelineException(
                  ErrorCode.CLOSED_ERROR, "op '" + op + "' is draining; send it elsewhere");
        } else if (outstanding >= window) {
          refusal =
              new PipelineException(
                  ErrorCode.OVERLOADED,
                  "op '" + op + "': more than the stream's window of " + window + " samples sent");
        } else {
          refusal = submit(sample, received);
        }
        if (refusal != null) {
          refused.add(result(sample.getDataId(), refusal, null, received));
        }
      }
      if (!refused.isEmpty()) {
        write(refused);
      }
    }

    /** Hands the sample to the op's executor; returns why not when it cannot be read. */
    private PipelineException submit(Sample sample, long received) {
      Map<String, Object> fields;
      try {
        fields = ChannelCodec.decode(sample.getFieldsList());
      } catch (PipelineException e) {
        return e;
      }
      outstanding++;
      long dataId = sample.getDataId();
      long logId = sample.getLogId();
      String traceparent = sample.getTrace().getTraceparent();
      executor
          .submit(logId, fields, sample.getTimeoutMs(), null)
          .whenComplete((out, error) -> answer(dataId, logId, traceparent, received, out, error));
      return null;
    }

    /** Runs on the thread that completed the request: a worker, when the op ran. */
    private void answer(
        long dataId,
        long logId,
        String traceparent,
        long received,
        io.pipeserve.runtime.op.Sample out,
        Throwable error) {
      byte[] result;
      if (error != null) {
        PipelineException e = Failures.of(error, logId);
        LOG.debug(
            "gateway data_id={} log_id={} traceparent={}: err_no={} {}",
            dataId,
            logId,
            traceparent,
            e.errNo(),
            e.getMessage());
        result = result(dataId, e, null, received);
      } else {
        OpTimes stages = times.take(out.dataId());
        try {
          result =
              Result.newBuilder()
                  .setDataId(dataId)
                  .addAllFields(ChannelCodec.encode(out.fields(), op))
                  .setTiming(timing(stages, received))
                  .build()
                  .toByteArray();
        } catch (PipelineException e) {
          result = result(dataId, e, stages, received);
        }
      }
      answered.add(result);
      if (writeScheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> writeAnswered());
      }
    }

    /** Writes every result answered since the last write, as one message. */
    private void writeAnswered() {
      writeScheduled.set(false);
      List<byte[]> results = new ArrayList<>();
      for (byte[] r = answered.poll(); r != null; r = answered.poll()) {
        results.add(r);
      }
      outstanding -= results.size();
      if (!results.isEmpty()) {
        write(results);
      }
    }

    private byte[] result(long dataId, PipelineException e, OpTimes stages, long received) {
      return Result.newBuilder()
          .setDataId(dataId)
          .setError(ChannelCodec.encode(e))
          .setTiming(timing(stages, received))
          .build()
          .toByteArray();
    }

    private void write(List<byte[]> results) {
      Buffer message = Buffer.buffer();
      for (byte[] result : results) {
        ChannelProtocol.appendEntry(message, Replies.RESULTS_FIELD_NUMBER, result);
      }
      write(message);
    }

    private void write(Buffer message) {
      if (!closed) {
        call.response().write(message);
      }
    }

    private void fail(GrpcStatus status, String message) {
      if (!closed) {
        call.response().status(status).statusMessage(message).end();
      }
      close(false);
    }

    void close(boolean ended) {
      if (closed) {
        return;
      }
      if (ended) {
        call.response().end();
      }
      closed = true;
      peers.remove(this);
      LOG.info("gateway {} disconnected", call.connection().remoteAddress());
    }
  }

  /** The stage times relative to when the sample arrived; the reply time is now. */
  private static Timing timing(OpTimes t, long received) {
    Timing.Builder timing = Timing.newBuilder();
    if (t != null) {
      timing
          .setQueueNs(t.readyNanos() - received)
          .setPrepStartNs(t.prepStart() - received)
          .setPrepEndNs(t.prepEnd() - received)
          .setMidpStartNs(t.midpStart() - received)
          .setMidpEndNs(t.midpEnd() - received)
          .setPostpStartNs(t.postpStart() - received)
          .setPostpEndNs(t.postpEnd() - received)
          .setWorker(t.worker())
          .setBatchIndex(t.batchIndex())
          .setBatchSamples(t.batchSamples())
          .setBatchItems(t.batchItems());
    }
    return timing.setReplyNs(System.nanoTime() - received).build();
  }
}
