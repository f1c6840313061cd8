package io.pipeserve.runtime.step.image;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;
import java.util.Base64;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * {@code image-decode}: an encoded image (PNG, JPEG, …) to a UINT8 [h, w, 3] BGR tensor. Paddle
 * clients send the image base64-encoded in a {@code value} string; tensor clients send the raw file
 * bytes as a 1-D UINT8 tensor or a one-element BYTES tensor.
 */
public final class ImageDecode implements Step {
  private final String input;
  private final String output;

  private ImageDecode(String input, String output) {
    this.input = input;
    this.output = output;
  }

  public static ImageDecode create(Params params, StepContext context) {
    OpenCv.load();
    ImageDecode step =
        new ImageDecode(params.string("input", "image"), params.string("output", "image"));
    return step;
  }

  @Override
  public void apply(Sample sample) {
    byte[] encoded = encodedBytes(sample);
    if (encoded.length == 0) {
      throw PipelineException.input("field '" + input + "': empty image");
    }
    Mat image = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_COLOR);
    try {
      if (image.empty()) {
        throw PipelineException.input(
            "field '"
                + input
                + "': not a decodable image ("
                + encoded.length
                + " bytes in no format OpenCV reads, e.g. PNG or JPEG)");
      }
      sample.put(output, Images.toTensor(image));
    } finally {
      image.release();
    }
  }

  private byte[] encodedBytes(Sample sample) {
    Object value = sample.require(input);
    if (value instanceof String base64) {
      try {
        return Base64.getDecoder().decode(base64.strip());
      } catch (IllegalArgumentException e) {
        throw PipelineException.input(
            "field '"
                + input
                + "': not a decodable image (invalid base64: "
                + e.getMessage()
                + ")");
      }
    }
    if (value instanceof Tensor t && t.dtype() == DType.UINT8 && t.rank() == 1) {
      return t.bytes();
    }
    if (value instanceof Tensor t && t.dtype() == DType.BYTES && t.elementCount() == 1) {
      return ((byte[][]) t.data())[0];
    }
    String got =
        value instanceof Tensor t
            ? t.dtype() + " tensor " + Arrays.toString(t.shape())
            : value.getClass().getSimpleName();
    throw PipelineException.type(
        "field '"
            + input
            + "' must be a base64 string, a 1-D UINT8 tensor or a one-element BYTES tensor of"
            + " encoded image bytes, got a "
            + got);
  }
}
