package io.pipeserve.api;

/**
 * How requests move through the DAG.
 *
 * @param channelSize capacity of every channel, and so the most requests in flight at once; a
 *     request beyond it is refused (HTTP 429 / RESOURCE_EXHAUSTED)
 * @param requestTimeoutMs deadline of a request from its arrival; 0 means none
 * @param retry default extra attempts of an op's process call after a timeout or failure
 * @param tracerIntervalSeconds period of the pipeline.tracer statistics; 0 turns them off
 * @param profile whether per-op stage profile tables are collected
 */
public record DagSpec(
    Integer channelSize,
    Long requestTimeoutMs,
    Integer retry,
    Integer tracerIntervalSeconds,
    Boolean profile) {
  public static final DagSpec DEFAULT = new DagSpec(null, null, null, null, null);

  public DagSpec {
    channelSize = channelSize == null ? 64 : channelSize;
    requestTimeoutMs = requestTimeoutMs == null ? 30_000L : requestTimeoutMs;
    retry = retry == null ? 0 : retry;
    tracerIntervalSeconds = tracerIntervalSeconds == null ? 60 : tracerIntervalSeconds;
    profile = profile != null && profile;
  }
}
