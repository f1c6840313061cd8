package io.pipeserve.runtime.trace;

/** Which API a trace goes to: Triton's trace file, or an OpenTelemetry exporter. */
public enum TraceMode {
  TRITON("triton"),
  OPENTELEMETRY("opentelemetry");

  private final String wireName;

  TraceMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name in specs, flags and the trace protocol. */
  public String wireName() {
    return wireName;
  }

  /**
   * @throws IllegalArgumentException for anything but triton or opentelemetry (any case, as Triton)
   */
  public static TraceMode of(String name) {
    for (TraceMode mode : values()) {
      if (mode.wireName.equalsIgnoreCase(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown trace mode '" + name + "'; expected triton or opentelemetry");
  }
}
