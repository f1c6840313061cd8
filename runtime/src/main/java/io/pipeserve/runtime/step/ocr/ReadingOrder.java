package io.pipeserve.runtime.step.ocr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * PaddleOCR's sorted_boxes: boxes top to bottom by their top-left corner, and boxes whose tops are
 * within 10 pixels of each other (one line) left to right.
 */
final class ReadingOrder {
  private static final double SAME_LINE_PIXELS = 10;

  private ReadingOrder() {}

  static List<Quad> sort(List<Quad> boxes) {
    List<Quad> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.<Quad>comparingDouble(q -> q.y(0)).thenComparingDouble(q -> q.x(0)));
    // The same bubble pass as PaddleOCR, so ties on a slanted line resolve as there.
    for (int i = 0; i < sorted.size() - 1; i++) {
      for (int j = i; j >= 0; j--) {
        Quad upper = sorted.get(j);
        Quad lower = sorted.get(j + 1);
        if (Math.abs(lower.y(0) - upper.y(0)) < SAME_LINE_PIXELS && lower.x(0) < upper.x(0)) {
          sorted.set(j, lower);
          sorted.set(j + 1, upper);
        } else {
          break;
        }
      }
    }
    return sorted;
  }
}
