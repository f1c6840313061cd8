package io.pipeserve.api;

import java.util.Set;

/** The op kinds: what runs an op's process call. */
public final class OpKinds {
  /** An ONNX Runtime session on the op's {@code model}. */
  public static final String ONNX = "onnx";

  /**
   * An Open Inference Protocol v2 gRPC client: the process call is a {@code ModelInfer} on an
   * external model server ({@code remote}).
   */
  public static final String REMOTE = "remote";

  /** A user class ({@code className}) implementing the runtime's JavaOp interface. */
  public static final String JAVA = "java";

  /** No model: the op only runs its pre- and postprocess steps. */
  public static final String NONE = "none";

  public static final Set<String> ALL = Set.of(ONNX, REMOTE, JAVA, NONE);

  private OpKinds() {}
}
