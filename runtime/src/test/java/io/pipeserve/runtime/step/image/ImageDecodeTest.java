package io.pipeserve.runtime.step.image;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ImageDecodeTest {
  private final Step decode = TestSteps.create("image-decode", Map.of());

  /** A 2 x 3 PNG, all blue except one red pixel at row 1, column 2. */
  private static byte[] png() {
    OpenCv.load();
    Mat image = new Mat(2, 3, CvType.CV_8UC3, new Scalar(255, 0, 0));
    image.put(1, 2, new byte[] {0, 0, (byte) 255});
    MatOfByte encoded = new MatOfByte();
    Imgcodecs.imencode(".png", image, encoded);
    return encoded.toArray();
  }

  @Test
  void decodesBase64IntoABgrImageTensor() {
    Sample sample = sample(Map.of("image", Base64.getEncoder().encodeToString(png())));

    decode.apply(sample);

    Tensor image = sample.tensor("image");
    assertThat(image.dtype()).isEqualTo(DType.UINT8);
    assertThat(image.shape()).containsExactly(2, 3, 3);
    byte[] px = image.bytes();
    assertThat(new byte[] {px[0], px[1], px[2]}).containsExactly((byte) 255, 0, 0);
    int red = (1 * 3 + 2) * 3;
    assertThat(new byte[] {px[red], px[red + 1], px[red + 2]}).containsExactly(0, 0, (byte) 255);
  }

  @Test
  void decodesRawBytesFromAUint8Tensor() {
    byte[] png = png();
    Sample sample = sample(Map.of("img", new Tensor(DType.UINT8, new long[] {png.length}, png)));

    TestSteps.create("image-decode", Map.of("input", "img", "output", "decoded")).apply(sample);

    assertThat(sample.tensor("decoded").shape()).containsExactly(2, 3, 3);
  }

  @Test
  void decodesRawBytesFromABytesTensor() {
    Sample sample =
        sample(Map.of("image", new Tensor(DType.BYTES, new long[] {1}, new byte[][] {png()})));

    decode.apply(sample);

    assertThat(sample.tensor("image").shape()).containsExactly(2, 3, 3);
  }

  @Test
  void invalidBase64IsAnInputError() {
    Sample sample = sample(Map.of("image", "not*base64!"));

    assertFails(
        () -> decode.apply(sample),
        ErrorCode.INPUT_PARAMS_ERROR,
        "field 'image'",
        "invalid base64");
  }

  @Test
  void bytesThatAreNoImageAreAnInputError() {
    Sample sample =
        sample(Map.of("image", Base64.getEncoder().encodeToString("hello world".getBytes())));

    assertFails(
        () -> decode.apply(sample),
        ErrorCode.INPUT_PARAMS_ERROR,
        "field 'image'",
        "not a decodable image");
  }

  @Test
  void emptyImageIsAnInputError() {
    assertFails(
        () -> decode.apply(sample(Map.of("image", ""))),
        ErrorCode.INPUT_PARAMS_ERROR,
        "field 'image'",
        "empty");
  }

  @Test
  void missingImageIsAnInputError() {
    assertFails(
        () -> decode.apply(sample(Map.of("other", "x"))),
        ErrorCode.INPUT_PARAMS_ERROR,
        "missing field 'image'");
  }

  @Test
  void aTensorOfAnotherTypeIsATypeError() {
    Sample sample = sample(Map.of("image", Tensor.of(new float[] {1, 2}, 2)));

    assertFails(() -> decode.apply(sample), ErrorCode.TYPE_ERROR, "field 'image'", "FP32");
  }
}
