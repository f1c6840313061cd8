package io.pipeserve.runtime.step;

import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.step.ensemble.Argmax;
import io.pipeserve.runtime.step.ensemble.Concat;
import io.pipeserve.runtime.step.ensemble.Mean;
import io.pipeserve.runtime.step.ensemble.Softmax;
import io.pipeserve.runtime.step.ensemble.TopK;
import io.pipeserve.runtime.step.image.ImageDecode;
import io.pipeserve.runtime.step.ocr.ClsResize;
import io.pipeserve.runtime.step.ocr.ClsRotate;
import io.pipeserve.runtime.step.ocr.CropBoxes;
import io.pipeserve.runtime.step.ocr.CtcDecode;
import io.pipeserve.runtime.step.ocr.DbPostprocess;
import io.pipeserve.runtime.step.ocr.DetResize;
import io.pipeserve.runtime.step.ocr.OcrResult;
import io.pipeserve.runtime.step.ocr.RecResize;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The built-in steps by name (the names of {@link io.pipeserve.api.BuiltInSteps}). */
public final class Steps {
  private static final Map<String, StepFactory> FACTORIES =
      Map.ofEntries(
          Map.entry("image-decode", ImageDecode::create),
          Map.entry("det-resize", DetResize::create),
          Map.entry("db-postprocess", DbPostprocess::create),
          Map.entry("crop-boxes", CropBoxes::create),
          Map.entry("cls-resize", ClsResize::create),
          Map.entry("cls-rotate", ClsRotate::create),
          Map.entry("rec-resize", RecResize::create),
          Map.entry("ctc-decode", CtcDecode::create),
          Map.entry("ocr-result", OcrResult::create),
          Map.entry("softmax", Softmax::create),
          Map.entry("argmax", Argmax::create),
          Map.entry("top-k", TopK::create),
          Map.entry("mean", Mean::create),
          Map.entry("concat", Concat::create));

  private Steps() {}

  /**
   * Creates the step a spec names.
   *
   * @throws IllegalArgumentException for an unknown step or an invalid parameter, naming where
   */
  public static Step create(StepSpec spec, StepContext context) {
    StepFactory factory = FACTORIES.get(spec.step());
    if (factory == null) {
      throw new IllegalArgumentException(
          context.where()
              + ".step: unknown step '"
              + spec.step()
              + "'; the built-in steps are "
              + new TreeSet<>(FACTORIES.keySet()));
    }
    Params params = new Params(spec.params(), context.where() + ".params");
    Step step = factory.create(params, context);
    // Here, once for every step: a parameter no factory asked for is a typo, not a default.
    params.checkAllRead();
    return step;
  }

  /** The names of all built-in steps. */
  public static Set<String> names() {
    return FACTORIES.keySet();
  }
}
