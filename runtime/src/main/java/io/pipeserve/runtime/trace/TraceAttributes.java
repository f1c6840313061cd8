package io.pipeserve.runtime.trace;

/**
 * Facts about a traced request that Triton's trace file has no field for; its OpenTelemetry spans
 * carry them as attributes (the request span {@link #DATA_ID}, each op span the others).
 */
public final class TraceAttributes {
  /** The request's data_id in this server: what the logs and the profile name it by. */
  public static final String DATA_ID = "data_id";

  /** Requests (samples) in the op's process call that served this request. */
  public static final String BATCH_SIZE = "batch_size";

  /** Items in that call along the batch dimension (a sample may bring several, e.g. text crops). */
  public static final String BATCH_ITEMS = "batch_items";

  /** The op's worker that ran it (worker i uses device ids[i % n]). */
  public static final String WORKER = "worker";

  private TraceAttributes() {}
}
