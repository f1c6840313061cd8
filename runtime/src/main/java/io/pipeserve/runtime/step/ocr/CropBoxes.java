package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.image.Images;
import io.pipeserve.runtime.step.image.OpenCv;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code crop-boxes}: PaddleOCR's get_rotate_crop_image. Each box is cut out of the image with a
 * perspective transform onto an upright rectangle; crops at least 1.5 times taller than wide are
 * taken to be vertical text and turned 90° counter-clockwise (np.rot90).
 */
public final class CropBoxes implements Step {
  private static final double VERTICAL_RATIO = 1.5;

  private final String image;
  private final String boxes;
  private final String output;

  private CropBoxes(String image, String boxes, String output) {
    this.image = image;
    this.boxes = boxes;
    this.output = output;
  }

  public static CropBoxes create(Params params, StepContext context) {
    OpenCv.load();
    CropBoxes step =
        new CropBoxes(
            params.string("image", "image"),
            params.string("boxes", "boxes"),
            params.string("output", "crops"));
    return step;
  }

  @Override
  public void apply(Sample sample) {
    Tensor source = Images.require(sample, image);
    List<Quad> quads = Quad.fromSample(sample, boxes);
    List<Tensor> crops = new ArrayList<>(quads.size());
    Mat src = Images.toMat(source);
    try {
      for (Quad quad : quads) {
        crops.add(crop(src, quad));
      }
    } finally {
      src.release();
    }
    sample.put(output, crops);
  }

  private static Tensor crop(Mat src, Quad quad) {
    // At least one pixel, so that a degenerate box yields a tiny crop rather than an OpenCV error.
    int width = Math.max(1, (int) Math.max(quad.distance(0, 1), quad.distance(2, 3)));
    int height = Math.max(1, (int) Math.max(quad.distance(0, 3), quad.distance(1, 2)));
    MatOfPoint2f from =
        new MatOfPoint2f(
            new Point(quad.x(0), quad.y(0)),
            new Point(quad.x(1), quad.y(1)),
            new Point(quad.x(2), quad.y(2)),
            new Point(quad.x(3), quad.y(3)));
    MatOfPoint2f to =
        new MatOfPoint2f(
            new Point(0, 0), new Point(width, 0), new Point(width, height), new Point(0, height));
    Mat transform = Imgproc.getPerspectiveTransform(from, to);
    Mat crop = new Mat();
    try {
      Imgproc.warpPerspective(
          src,
          crop,
          transform,
          new Size(width, height),
          Imgproc.INTER_CUBIC,
          Core.BORDER_REPLICATE);
      if (height / (double) width >= VERTICAL_RATIO) {
        Core.rotate(crop, crop, Core.ROTATE_90_COUNTERCLOCKWISE);
      }
      return Images.toTensor(crop);
    } finally {
      from.release();
      to.release();
      transform.release();
      crop.release();
    }
  }
}
