package io.pipeserve.runtime.step.image;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Images as the steps pass them between each other: UINT8 tensors of shape [height, width, 3] in
 * BGR order (OpenCV's and PaddleOCR's layout), converted to and from OpenCV {@link Mat}s.
 */
public final class Images {
  private Images() {}

  /** The field as an image tensor; another shape or type is a TYPE_ERROR naming the field. */
  public static Tensor require(Sample sample, String field) {
    Tensor t = sample.tensor(field);
    checkImage(t, "field '" + field + "'");
    return t;
  }

  /** The field as a list of image tensors (text crops); each element is checked. */
  public static List<Tensor> requireList(Sample sample, String field) {
    List<?> list = sample.as(field, List.class);
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Tensor t)) {
        throw PipelineException.type("field '" + field + "'[" + i + "] must be an image tensor");
      }
      checkImage(t, "field '" + field + "'[" + i + "]");
    }
    @SuppressWarnings("unchecked")
    List<Tensor> crops = (List<Tensor>) list;
    return crops;
  }

  /** A copy of a 3-channel 8-bit Mat as a [h, w, 3] UINT8 tensor. */
  public static Tensor toTensor(Mat image) {
    if (image.type() != CvType.CV_8UC3) {
      throw new IllegalArgumentException("expected an 8-bit 3-channel image, got " + image);
    }
    Mat continuous = image.isContinuous() ? image : image.clone();
    byte[] data = new byte[(int) (continuous.total() * 3)];
    continuous.get(0, 0, data);
    return new Tensor(DType.UINT8, new long[] {image.rows(), image.cols(), 3}, data);
  }

  /** A new Mat holding a copy of the image tensor's pixels. */
  public static Mat toMat(Tensor image) {
    Mat mat = new Mat((int) image.dim(0), (int) image.dim(1), CvType.CV_8UC3);
    mat.put(0, 0, image.bytes());
    return mat;
  }

  private static void checkImage(Tensor t, String what) {
    if (t.dtype() != DType.UINT8
        || t.rank() != 3
        || t.dim(2) != 3
        || t.dim(0) < 1
        || t.dim(1) < 1) {
      throw PipelineException.type(
          what
              + " must be a UINT8 image tensor [height, width, 3], got "
              + t.dtype()
              + " "
              + Arrays.toString(t.shape()));
    }
  }
}
