package io.pipeserve.api;

/**
 * Auto-batching: items of different requests merged along dimension 0 into one model call.
 *
 * @param size most items in one model call; 1 turns batching off
 * @param timeoutMs how long the first sample of a batch waits for others; must be &gt; 0 when size
 *     &gt; 1
 */
public record BatchSpec(Integer size, Long timeoutMs) {
  public static final BatchSpec DEFAULT = new BatchSpec(null, null);

  public BatchSpec {
    size = size == null ? 1 : size;
    timeoutMs = timeoutMs == null ? 0L : timeoutMs;
  }
}
