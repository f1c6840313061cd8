package io.pipeserve.api;

import java.util.List;

/**
 * Where an op's model runs.
 *
 * @param type {@code cpu}, {@code cuda} or {@code tensorrt}
 * @param ids accelerator ids, comma separated ("0,1"); worker i uses ids[i % n]
 * @param precision {@code fp32}, {@code fp16} or {@code int8}
 * @param threads intra-op threads of each model session
 */
public record DeviceSpec(String type, String ids, String precision, Integer threads) {
  public static final DeviceSpec DEFAULT = new DeviceSpec(null, null, null, null);

  public static final List<String> TYPES = List.of("cpu", "cuda", "tensorrt");
  public static final List<String> PRECISIONS = List.of("fp32", "fp16", "int8");

  public DeviceSpec {
    type = type == null ? "cpu" : type;
    ids = ids == null ? "" : ids;
    precision = precision == null ? "fp32" : precision;
    threads = threads == null ? 1 : threads;
  }

  /** The device ids; empty when none are listed. Assumes the spec was validated. */
  public List<Integer> idList() {
    if (ids.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(ids.split(",")).map(s -> Integer.parseInt(s.trim())).toList();
  }
}
