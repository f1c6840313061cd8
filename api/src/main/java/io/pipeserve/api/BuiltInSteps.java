package io.pipeserve.api;

import java.util.Set;

/**
 * The names of the built-in pre/post-processing steps. The runtime implements each; a test there
 * keeps this list and the implementations equal.
 */
public final class BuiltInSteps {
  public static final Set<String> NAMES =
      Set.of(
          // images and OCR (PP-OCR's own pre/post-processing)
          "image-decode",
          "det-resize",
          "db-postprocess",
          "crop-boxes",
          "cls-resize",
          "cls-rotate",
          "rec-resize",
          "ctc-decode",
          "ocr-result",
          // ensembles and classifiers
          "softmax",
          "argmax",
          "top-k",
          "mean",
          "concat");

  private BuiltInSteps() {}
}
