package io.pipeserve.runtime.predictor.remote;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.InferTensorContents;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelInferResponse;
import io.pipeserve.proto.inference.ModelInferResponse.InferOutputTensor;
import io.pipeserve.proto.inference.ModelMetadataRequest;
import io.pipeserve.proto.inference.ModelMetadataResponse;
import io.pipeserve.proto.inference.ModelMetadataResponse.TensorMetadata;
import io.pipeserve.proto.inference.ModelReadyRequest;
import io.pipeserve.proto.inference.ModelReadyResponse;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small Open Inference Protocol model server on a real loopback socket. Its model "affine" takes
 * "x" (FP32 [-1, 3]) and answers "y" = 2x + 1 (FP32 [-1, 3]) and "sum", the sum of each row of x
 * (FP64 [-1]). It records every ModelInfer it gets, and can be told to fail or stall its next
 * calls.
 */
final class FakeModelServer implements AutoCloseable {
  static final String MODEL = "affine";

  private final Server server;
  final List<ModelInferRequest> infers = new CopyOnWriteArrayList<>();

  /** The deadline each ModelInfer arrived with; null when none. */
  final List<Deadline> deadlines = new CopyOnWriteArrayList<>();

  /** ModelInfer calls the client cancelled or let expire while the server worked on them. */
  final AtomicInteger cancelled = new AtomicInteger();

  final AtomicInteger connections = new AtomicInteger();
  private final AtomicReference<Status> failNext = new AtomicReference<>();
  private final AtomicInteger stallNext = new AtomicInteger();
  private volatile boolean typedAnswers;

  private FakeModelServer(int port, ServerCredentials credentials) {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), credentials)
              .addService(new Service())
              .addTransportFilter(
                  new ServerTransportFilter() {
                    @Override
                    public io.grpc.Attributes transportReady(io.grpc.Attributes attributes) {
                      connections.incrementAndGet();
                      return attributes;
                    }
                  })
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A plaintext server on {@code port}; 0 picks a free one. */
  static FakeModelServer start(int port) {
    return new FakeModelServer(port, InsecureServerCredentials.create());
  }

  /** A TLS server whose certificate (localhost, 127.0.0.1) the test CA in remote-tls/ signed. */
  static FakeModelServer startTls() throws IOException {
    try (InputStream cert = resource("server.pem");
        InputStream key = resource("server.key")) {
      return new FakeModelServer(0, TlsServerCredentials.create(cert, key));
    }
  }

  static InputStream resource(String name) {
    return FakeModelServer.class.getResourceAsStream("/remote-tls/" + name);
  }

  int port() {
    return server.getPort();
  }

  String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** The next ModelInfer fails with {@code status}. */
  void failNext(Status status) {
    failNext.set(status);
  }

  /** The next {@code calls} ModelInfers answer only when the client gives up on them. */
  void stallNext(int calls) {
    stallNext.set(calls);
  }

  /** Answers in typed {@code contents} rather than {@code raw_output_contents}. */
  void answerTyped() {
    typedAnswers = true;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelMetadata(
        ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
      if (!request.getName().equals(MODEL)) {
        answer.onError(
            Status.NOT_FOUND
                .withDescription("Request for unknown model: '" + request.getName() + "'")
                .asRuntimeException());
        return;
      }
      answer.onNext(
          ModelMetadataResponse.newBuilder()
              .setName(MODEL)
              .addVersions("1")
              .setPlatform("fake")
              .addInputs(tensor("x", "FP32", -1, 3))
              .addOutputs(tensor("y", "FP32", -1, 3))
              .addOutputs(tensor("sum", "FP64", -1))
              .build());
      answer.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
      answer.onNext(
          ModelReadyResponse.newBuilder().setReady(request.getName().equals(MODEL)).build());
      answer.onCompleted();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
      infers.add(request);
      Context context = Context.current();
      deadlines.add(context.getDeadline());
      if (stallNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        stallUntilCancelled(context);
        return;
      }
      Status failure = failNext.getAndSet(null);
      if (failure != null) {
        answer.onError(failure.asRuntimeException());
        return;
      }
      Tensor x =
          OipTensors.fromRaw(
              DType.FP32, shape(request.getInputs(0)), request.getRawInputContents(0));
      answer.onNext(affine(x));
      answer.onCompleted();
    }

    private void stallUntilCancelled(Context context) {
      CountDownLatch gone = new CountDownLatch(1);
      context.addListener(c -> gone.countDown(), Runnable::run);
      try {
        if (gone.await(30, TimeUnit.SECONDS)) {
          cancelled.incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ModelInferResponse affine(Tensor x) {
    int rows = (int) x.dim(0);
    float[] in = x.floats();
    float[] y = new float[in.length];
    double[] sum = new double[rows];
    for (int i = 0; i < in.length; i++) {
      y[i] = 2 * in[i] + 1;
      sum[i / 3] += in[i];
    }
    Tensor yt = Tensor.of(y, rows, 3);
    Tensor st = new Tensor(DType.FP64, new long[] {rows}, sum);
    ModelInferResponse.Builder r =
        ModelInferResponse.newBuilder().setModelName(MODEL).setModelVersion("1");
    if (typedAnswers) {
      InferTensorContents.Builder yc = InferTensorContents.newBuilder();
      for (float v : y) {
        yc.addFp32Contents(v);
      }
      InferTensorContents.Builder sc = InferTensorContents.newBuilder();
      for (double v : sum) {
        sc.addFp64Contents(v);
      }
      r.addOutputs(output("y", "FP32", yt).setContents(yc));
      r.addOutputs(output("sum", "FP64", st).setContents(sc));
    } else {
      r.addOutputs(output("y", "FP32", yt)).addRawOutputContents(OipTensors.raw(yt));
      r.addOutputs(output("sum", "FP64", st)).addRawOutputContents(OipTensors.raw(st));
    }
    return r.build();
  }

  private static InferOutputTensor.Builder output(String name, String datatype, Tensor t) {
    InferOutputTensor.Builder o =
        InferOutputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long d : t.shape()) {
      o.addShape(d);
    }
    return o;
  }

  private static TensorMetadata tensor(String name, String datatype, long... shape) {
    TensorMetadata.Builder t = TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
    for (long d : shape) {
      t.addShape(d);
    }
    return t.build();
  }

  static long[] shape(ModelInferRequest.InferInputTensor input) {
    return input.getShapeList().stream().mapToLong(Long::longValue).toArray();
  }
}
