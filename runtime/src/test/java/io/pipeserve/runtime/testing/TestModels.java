package io.pipeserve.runtime.testing;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/** Small real ONNX models, built in the tests with tribuo-util-onnx. */
public final class TestModels {
  private TestModels() {}

  /**
   * y = x * scale + bias, with input "x" and output "y" of shape [-1, width] (dimension 0 is the
   * batch).
   */
  public static Path affine(Path dir, int width, float scale, float bias) {
    ONNXContext ctx = new ONNXContext();
    ONNXPlaceholder x = ctx.floatInput("x", width);
    ONNXPlaceholder y = ctx.floatOutput("y", width);
    ONNXInitializer s = ctx.constant("scale", scale);
    ONNXInitializer b = ctx.constant("bias", bias);
    x.apply(ONNXOperators.MUL, s).apply(ONNXOperators.ADD, b).assignTo(y);
    return write(ctx, dir.resolve("affine-" + width + "-" + scale + "-" + bias + ".onnx"));
  }

  private static Path write(ONNXContext ctx, Path file) {
    OnnxMl.ModelProto model =
        OnnxMl.ModelProto.newBuilder()
            .setGraph(ctx.buildGraph())
            .setIrVersion(8)
            .setProducerName("pipeserve-tests")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13).build())
            .build();
    try {
      Files.write(file, model.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
