package io.pipeserve.runtime.trace.file;

/**
 * The timestamp names pipeserve writes, spelled as Triton's {@code
 * TRITONSERVER_InferenceTraceActivityString} and frontends spell them, since Triton's tools match
 * on these exact strings.
 */
public final class TimestampNames {
  // The pipeline's trace: the frontend that received the request.
  public static final String HTTP_RECV_START = "HTTP_RECV_START";
  public static final String HTTP_RECV_END = "HTTP_RECV_END";
  public static final String HTTP_SEND_START = "HTTP_SEND_START";
  public static final String HTTP_SEND_END = "HTTP_SEND_END";
  public static final String GRPC_WAITREAD_START = "GRPC_WAITREAD_START";
  public static final String GRPC_WAITREAD_END = "GRPC_WAITREAD_END";
  public static final String GRPC_SEND_START = "GRPC_SEND_START";
  public static final String GRPC_SEND_END = "GRPC_SEND_END";
  public static final String INFER_RESPONSE_COMPLETE = "INFER_RESPONSE_COMPLETE";

  // Every trace: Triton's summary only counts traces that have both.
  public static final String REQUEST_START = "REQUEST_START";
  public static final String REQUEST_END = "REQUEST_END";

  // An op's child trace: waiting in its channel or batch, then preprocess, process, postprocess.
  public static final String QUEUE_START = "QUEUE_START";
  public static final String COMPUTE_START = "COMPUTE_START";
  public static final String COMPUTE_INPUT_END = "COMPUTE_INPUT_END";
  public static final String COMPUTE_OUTPUT_START = "COMPUTE_OUTPUT_START";
  public static final String COMPUTE_END = "COMPUTE_END";

  // An op in processes of its own: the hop there and back, on the child trace. The op process's
  // stages (COMPUTE_*) are placed on the gateway's clock between SEND_END and RECV_START; the two
  // legs are the network time (the one-way split assumes a symmetric network).
  public static final String CHANNEL_SEND_START = "CHANNEL_SEND_START";
  public static final String CHANNEL_SEND_END = "CHANNEL_SEND_END";
  public static final String CHANNEL_RECV_START = "CHANNEL_RECV_START";
  public static final String CHANNEL_RECV_END = "CHANNEL_RECV_END";

  // TENSORS level: the activity of a tensor entry.
  public static final String TENSOR_QUEUE_INPUT = "TENSOR_QUEUE_INPUT";
  public static final String TENSOR_BACKEND_OUTPUT = "TENSOR_BACKEND_OUTPUT";

  private TimestampNames() {}
}
