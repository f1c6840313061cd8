package io.pipeserve.api;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Rules of one op on its own; how ops join up is {@link GraphRules}. */
final class OpRules {
  // Op names appear in URLs (v2/models/{op}) and as Kubernetes resource-name parts.
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final String IDENTIFIER = "[A-Za-z_$][A-Za-z0-9_$]*";
  private static final Pattern CLASS_NAME =
      Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");

  private OpRules() {}

  /**
   * @param baseDir directory model paths are relative to; null skips the file checks
   */
  static void check(String at, OpSpec op, Path baseDir, Problems problems) {
    checkName(at + ".name", op.name(), problems);
    checkKind(at, op, baseDir, problems);
    checkSteps(at + ".preprocess", op.preprocess(), problems);
    checkSteps(at + ".postprocess", op.postprocess(), problems);
    checkFields(at + ".feed", op.feed(), problems);
    checkFields(at + ".fetch", op.fetch(), problems);
    checkFields(at + ".outputs", op.outputs(), problems);
    problems.atLeast(at + ".concurrency", op.concurrency(), 1);
    checkBatch(at + ".batch", op.batch(), problems);
    problems.atLeast(at + ".timeoutMs", op.timeoutMs(), 0);
    problems.atLeast(at + ".retry", op.retry(), 0);
    DeviceRules.check(at + ".device", op.device(), problems);
    if (op.trace() != null) {
      TraceRules.check(at + ".trace", op.trace(), false, problems);
    }
    if (op.endpoints() != null) {
      EndpointsRules.check(at + ".endpoints", op.endpoints(), problems);
    }
  }

  private static void checkName(String at, String name, Problems problems) {
    if (name == null || name.isBlank()) {
      problems.add(at, "must not be blank");
    } else if (!NAME.matcher(name).matches()) {
      problems.add(at, "'" + name + "' may only use letters, digits, '_', '.' and '-'");
    }
  }

  private static void checkKind(String at, OpSpec op, Path baseDir, Problems problems) {
    String kind = op.kind();
    if (!OpKinds.ALL.contains(kind)) {
      problems.add(at + ".kind", Choices.unknown("kind", kind, OpKinds.ALL));
      return;
    }
    if (kind.equals(OpKinds.ONNX)) {
      checkModel(at + ".model", op.model(), baseDir, problems);
    } else if (kind.equals(OpKinds.REMOTE) && op.model() != null) {
      problems.add(at + ".model", "not used by kind remote; name the remote model in remote.model");
    } else if (op.model() != null) {
      problems.add(at + ".model", "not used by kind " + kind + "; only onnx ops load a model");
    }
    if (kind.equals(OpKinds.REMOTE)) {
      RemoteSpec remote = op.remote() == null ? RemoteSpec.EMPTY : op.remote();
      RemoteRules.check(at + ".remote", remote, baseDir, problems);
    } else if (op.remote() != null) {
      problems.add(
          at + ".remote", "not used by kind " + kind + "; only remote ops call a model server");
    }
    if (kind.equals(OpKinds.JAVA)) {
      checkClassName(at + ".className", op.className(), problems);
    } else if (op.className() != null) {
      problems.add(at + ".className", "not used by kind " + kind + "; only java ops name a class");
    }
  }

  private static void checkModel(String at, String model, Path baseDir, Problems problems) {
    if (model == null || model.isBlank()) {
      problems.add(at, "required for kind onnx: the .onnx file, relative to the spec file");
      return;
    }
    checkFile(at, model, baseDir, problems);
  }

  /**
   * Reports a file, relative to {@code baseDir}, that does not exist or is not a file.
   *
   * @param baseDir null skips the check
   */
  static void checkFile(String at, String path, Path baseDir, Problems problems) {
    if (baseDir == null) {
      return;
    }
    Path file;
    try {
      file = baseDir.resolve(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      problems.add(at, "not a valid path: " + e.getReason());
      return;
    }
    if (!Files.exists(file)) {
      problems.add(at, "file not found: " + file);
    } else if (!Files.isRegularFile(file)) {
      problems.add(at, "not a file: " + file);
    }
  }

  private static void checkClassName(String at, String className, Problems problems) {
    if (className == null || className.isBlank()) {
      problems.add(at, "required for kind java: the class implementing JavaOp");
    } else if (!CLASS_NAME.matcher(className).matches()) {
      problems.add(at, "'" + className + "' is not a Java class name (e.g. com.example.MyOp)");
    }
  }

  private static void checkSteps(String at, List<StepSpec> steps, Problems problems) {
    for (int i = 0; i < steps.size(); i++) {
      String step = steps.get(i).step();
      String path = at + "[" + i + "].step";
      if (step == null || step.isBlank()) {
        problems.add(path, "must not be blank");
      } else if (!BuiltInSteps.NAMES.contains(step)) {
        problems.add(path, Choices.unknown("step", step, BuiltInSteps.NAMES));
      }
    }
  }

  private static void checkFields(String at, List<String> fields, Problems problems) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).isBlank()) {
        problems.add(at + "[" + i + "]", "must not be blank");
      }
    }
  }

  private static void checkBatch(String at, BatchSpec batch, Problems problems) {
    problems.atLeast(at + ".size", batch.size(), 1);
    if (batch.timeoutMs() < 0) {
      problems.atLeast(at + ".timeoutMs", batch.timeoutMs(), 0);
    } else if (batch.size() > 1 && batch.timeoutMs() == 0) {
      // With no wait, the first sample never meets another one and batching does nothing.
      problems.add(at + ".timeoutMs", "must be > 0 when batch.size > 1");
    }
  }
}
