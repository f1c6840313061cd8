package io.pipeserve.runtime.distributed;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pipeserve.proto.channel.Reply;
import io.pipeserve.proto.channel.Result;
import io.pipeserve.proto.channel.Sample;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The op process's end of the channel service: a stream per connected gateway. Each sample goes to
 * the op's executor with the time left to its request's deadline, so every gateway's samples meet
 * in the op's one channel and batches; its result goes back on the stream it came from, with the
 * op's stage times.
 *
 * <p>A stream may hold {@link Terms#getWindow()} samples unanswered: the op's channel size. A
 * gateway that honours the window is never refused for it; samples beyond it, and beyond what the
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
      byte[] bytes = Reply.newBuilder().setTerms(terms).build().toByteArray();
      context.runOnContext(v -> write(bytes));
    }

    void receive(Buffer bytes) {
      long received = System.nanoTime();
      Sample sample;
      try {
        sample = Sample.parseFrom(bytes.getBytes());
      } catch (InvalidProtocolBufferException e) {
        fail(GrpcStatus.INVALID_ARGUMENT, "not a pipeserve.channel.Sample: " + e.getMessage());
        return;
      }
      if (sample.getDataId() == 0) {
        return; // the stream's opening message: it only carries the metadata
      }
      if (draining) {
        refuse(sample, ErrorCode.CLOSED_ERROR, "op '" + op + "' is draining; send it elsewhere");
      } else if (outstanding >= window) {
        refuse(
            sample,
            ErrorCode.OVERLOADED,
            "op '" + op + "': more than the stream's window of " + window + " samples were sent");
      } else {
        submit(sample, received);
      }
    }

    private void submit(Sample sample, long received) {
      Map<String, Object> fields;
      try {
        fields = ChannelCodec.decode(sample.getFieldsList());
      } catch (PipelineException e) {
        refuse(sample, e);
        return;
      }
      outstanding++;
      long dataId = sample.getDataId();
      long logId = sample.getLogId();
      executor
          .submit(logId, fields, sample.getTimeoutMs(), null)
          .whenComplete((out, error) -> answer(dataId, logId, received, out, error));
    }

    /** Runs on the thread that completed the request: a worker, when the op ran. */
    private void answer(
        long dataId,
        long logId,
        long received,
        io.pipeserve.runtime.op.Sample out,
        Throwable error) {
      Result.Builder result = Result.newBuilder().setDataId(dataId);
      OpTimes stages = null;
      if (error == null) {
        stages = times.take(out.dataId());
        try {
          result.addAllFields(ChannelCodec.encode(out.fields(), op));
        } catch (PipelineException e) {
          result.clearFields().setError(ChannelCodec.encode(e));
        }
      } else {
        PipelineException e = Failures.of(error, logId);
        LOG.debug("gateway data_id={} log_id={}: err_no={} {}", dataId, logId, e.errNo(), e);
        result.setError(ChannelCodec.encode(e));
      }
      result.setTiming(timing(stages, received));
      byte[] bytes = Reply.newBuilder().setResult(result).build().toByteArray();
      context.runOnContext(
          v -> {
            outstanding--;
            write(bytes);
          });
    }

    private void refuse(Sample sample, ErrorCode code, String message) {
      refuse(sample, new PipelineException(code, message));
    }

    private void refuse(Sample sample, PipelineException e) {
      Result result =
          Result.newBuilder()
              .setDataId(sample.getDataId())
              .setError(ChannelCodec.encode(e))
              .build();
      write(Reply.newBuilder().setResult(result).build().toByteArray());
    }

    private void write(byte[] bytes) {
      if (!closed) {
        call.response().write(Buffer.buffer(bytes));
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
