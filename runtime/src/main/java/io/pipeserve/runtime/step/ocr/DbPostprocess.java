package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.image.OpenCv;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.RotatedRect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code db-postprocess}: PaddleOCR's DBPostProcess (score mode "fast", no dilation) followed by
 * predict_det's filter_tag_det_res and predict_system's sorted_boxes. The probability map is
 * thresholded, each contour's minimum-area rectangle is scored, kept boxes are expanded
 * ("unclipped") and mapped back to source pixels, and the result is put in reading order.
 *
 * <p>Unclip: PaddleOCR offsets the box polygon with pyclipper (round joins) by {@code distance =
 * area * unclipRatio / perimeter} and takes the minimum-area rectangle of the result. The box is
 * already a rectangle, and the minimum-area rectangle of a rectangle offset with round joins is
 * that rectangle grown by {@code distance} on every side, so growing the rotated rectangle gives
 * the same box without a polygon-clipping library.
 */
public final class DbPostprocess implements Step {
  private final String input;
  private final String shape;
  private final String output;
  private final double thresh;
  private final double boxThresh;
  private final double unclipRatio;
  private final int maxCandidates;
  private final double minSize;

  private DbPostprocess(
      String input,
      String shape,
      String output,
      double thresh,
      double boxThresh,
      double unclipRatio,
      int maxCandidates,
      double minSize) {
    this.input = input;
    this.shape = shape;
    this.output = output;
    this.thresh = thresh;
    this.boxThresh = boxThresh;
    this.unclipRatio = unclipRatio;
    this.maxCandidates = maxCandidates;
    this.minSize = minSize;
  }

  public static DbPostprocess create(Params params, StepContext context) {
    OpenCv.load();
    String input = params.string("input", "maps");
    String shape = params.string("shape", DetShape.DEFAULT_FIELD);
    String output = params.string("output", "boxes");
    double thresh = fraction(params, "thresh", 0.3);
    double boxThresh = fraction(params, "boxThresh", 0.6);
    double unclipRatio = params.number("unclipRatio", 1.5);
    if (unclipRatio <= 0) {
      throw params.invalid("unclipRatio", "must be > 0, got " + unclipRatio);
    }
    int maxCandidates = params.integer("maxCandidates", 1000);
    if (maxCandidates < 1) {
      throw params.invalid("maxCandidates", "must be >= 1, got " + maxCandidates);
    }
    double minSize = params.number("minSize", 3);
    return new DbPostprocess(
        input, shape, output, thresh, boxThresh, unclipRatio, maxCandidates, minSize);
  }

  @Override
  public void apply(Sample sample) {
    if (!sample.has(input)) {
      // The detector did not run (no items): no boxes.
      sample.put(output, Quad.toTensor(List.of()));
      return;
    }
    Tensor maps = sample.tensor(input);
    if (maps.dtype() != DType.FP32 || maps.rank() != 4 || maps.dim(0) != 1 || maps.dim(1) != 1) {
      throw PipelineException.type(
          "field '"
              + input
              + "' must be the FP32 detection map [1, 1, H, W], got "
              + maps.dtype()
              + " "
              + Arrays.toString(maps.shape()));
    }
    DetShape source = DetShape.from(sample, shape);
    Mat pred = validMap(maps, source);
    Mat bitmap = new Mat();
    try {
      Imgproc.threshold(pred, bitmap, thresh, 255, Imgproc.THRESH_BINARY);
      bitmap.convertTo(bitmap, CvType.CV_8U);
      List<Quad> boxes = new ArrayList<>();
      for (Quad box : boxesFromBitmap(pred, bitmap, source)) {
        Quad ordered = box.orderedClockwise();
        if (ordered == null) {
          continue;
        }
        Quad clipped = ordered.clippedTo(source.srcW(), source.srcH());
        if ((int) clipped.distance(0, 1) <= 3 || (int) clipped.distance(0, 3) <= 3) {
          continue;
        }
        boxes.add(clipped);
      }
      sample.put(output, Quad.toTensor(ReadingOrder.sort(boxes)));
    } finally {
      pred.release();
      bitmap.release();
    }
  }

  /**
   * The part of the map that covers the resized image. When the executor batches images of
   * different sizes it zero-pads the maps to the largest; the padding is cut off here.
   */
  private static Mat validMap(Tensor maps, DetShape source) {
    int mapH = (int) maps.dim(2);
    int mapW = (int) maps.dim(3);
    int h = Math.min(mapH, source.resizedH());
    int w = Math.min(mapW, source.resizedW());
    float[] all = maps.floats();
    float[] valid = all;
    if (w != mapW || h != mapH) {
      valid = new float[h * w];
      for (int y = 0; y < h; y++) {
        System.arraycopy(all, y * mapW, valid, y * w, w);
      }
    }
    Mat pred = new Mat(h, w, CvType.CV_32F);
    pred.put(0, 0, valid);
    return pred;
  }

  private List<Quad> boxesFromBitmap(Mat pred, Mat bitmap, DetShape source) {
    List<MatOfPoint> contours = new ArrayList<>();
    Mat hierarchy = new Mat();
    Imgproc.findContours(
        bitmap, contours, hierarchy, Imgproc.RETR_LIST, Imgproc.CHAIN_APPROX_SIMPLE);
    hierarchy.release();
    List<Quad> boxes = new ArrayList<>();
    int candidates = Math.min(contours.size(), maxCandidates);
    for (int i = 0; i < candidates; i++) {
      MatOfPoint2f contour = new MatOfPoint2f(contours.get(i).toArray());
      RotatedRect rect = Imgproc.minAreaRect(contour);
      contour.release();
      if (Math.min(rect.size.width, rect.size.height) < minSize) {
        continue;
      }
      Quad box = miniBox(rect);
      if (boxThresh > scoreFast(pred, box)) {
        continue;
      }
      RotatedRect grown = unclip(rect, box);
      if (Math.min(grown.size.width, grown.size.height) < minSize + 2) {
        continue;
      }
      boxes.add(toSource(miniBox(grown), pred.cols(), pred.rows(), source));
    }
    contours.forEach(Mat::release);
    return boxes;
  }

  /**
   * PaddleOCR's get_mini_boxes: the rectangle's corners ordered top-left, top-right, bottom-right,
   * bottom-left by sorting on x and comparing y within each pair.
   */
  private static Quad miniBox(RotatedRect rect) {
    Mat corners = new Mat();
    Imgproc.boxPoints(rect, corners);
    float[] raw = new float[8];
    corners.get(0, 0, raw);
    corners.release();
    Integer[] byX = {0, 1, 2, 3};
    // Stable, like Python's sorted().
    Arrays.sort(byX, Comparator.comparingDouble(i -> raw[i * 2]));
    double[] px = new double[4];
    double[] py = new double[4];
    for (int i = 0; i < 4; i++) {
      px[i] = raw[byX[i] * 2];
      py[i] = raw[byX[i] * 2 + 1];
    }
    int topLeft = py[1] > py[0] ? 0 : 1;
    int bottomLeft = 1 - topLeft;
    int topRight = py[3] > py[2] ? 2 : 3;
    int bottomRight = 5 - topRight;
    return new Quad(
        new double[] {px[topLeft], px[topRight], px[bottomRight], px[bottomLeft]},
        new double[] {py[topLeft], py[topRight], py[bottomRight], py[bottomLeft]});
  }

  /** PaddleOCR's box_score_fast: the mean probability inside the box. */
  private static double scoreFast(Mat pred, Quad box) {
    int w = pred.cols();
    int h = pred.rows();
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      minX = Math.min(minX, box.x(i));
      maxX = Math.max(maxX, box.x(i));
      minY = Math.min(minY, box.y(i));
      maxY = Math.max(maxY, box.y(i));
    }
    int xmin = clamp((int) Math.floor(minX), 0, w - 1);
    int xmax = clamp((int) Math.ceil(maxX), 0, w - 1);
    int ymin = clamp((int) Math.floor(minY), 0, h - 1);
    int ymax = clamp((int) Math.ceil(maxY), 0, h - 1);
    Point[] polygon = new Point[4];
    for (int i = 0; i < 4; i++) {
      // astype("int32") truncates toward zero.
      polygon[i] = new Point((int) (box.x(i) - xmin), (int) (box.y(i) - ymin));
    }
    Mat mask = Mat.zeros(ymax - ymin + 1, xmax - xmin + 1, CvType.CV_8U);
    MatOfPoint poly = new MatOfPoint(polygon);
    Mat region = pred.submat(ymin, ymax + 1, xmin, xmax + 1);
    try {
      Imgproc.fillPoly(mask, List.of(poly), new Scalar(1));
      return Core.mean(region, mask).val[0];
    } finally {
      mask.release();
      poly.release();
      region.release();
    }
  }

  private RotatedRect unclip(RotatedRect rect, Quad box) {
    double area = 0;
    double perimeter = 0;
    for (int i = 0; i < 4; i++) {
      int j = (i + 1) % 4;
      area += box.x(i) * box.y(j) - box.x(j) * box.y(i);
      perimeter += box.distance(i, j);
    }
    double distance = Math.abs(area) / 2 * unclipRatio / perimeter;
    return new RotatedRect(
        rect.center,
        new Size(rect.size.width + 2 * distance, rect.size.height + 2 * distance),
        rect.angle);
  }

  /** Map coordinates to source pixels, rounded half to even (np.round) and clipped. */
  private static Quad toSource(Quad box, int mapW, int mapH, DetShape source) {
    double[] xs = new double[4];
    double[] ys = new double[4];
    for (int i = 0; i < 4; i++) {
      xs[i] = Math.min(Math.max(Math.rint(box.x(i) / mapW * source.srcW()), 0), source.srcW());
      ys[i] = Math.min(Math.max(Math.rint(box.y(i) / mapH * source.srcH()), 0), source.srcH());
    }
    return new Quad(xs, ys);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double fraction(Params params, String name, double defaultValue) {
    double v = params.number(name, defaultValue);
    if (v < 0 || v > 1) {
      throw params.invalid(name, "must be within [0, 1], got " + v);
    }
    return v;
  }
}
