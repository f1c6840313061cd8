package io.pipeserve.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's {@code curl}, run as a pod's download script runs it. */
class DownloadMirrorTest {
  private static final String MODELS = "https://models.example.org/ocr/1.4.2/";

  @TempDir Path dir;
  private Path bin;
  private Path mirror;

  @BeforeEach
  void installMirror() throws IOException {
    bin = dir.resolve("bin");
    mirror = Files.createDirectories(dir.resolve("mirror"));
    Files.createDirectories(mirror.resolve("det"));
    Files.write(mirror.resolve("det/model.onnx"), new byte[] {0, 1, 2, (byte) 0xff, '\n'});
    DownloadMirror.install(bin, Map.of(MODELS, mirror));
  }

  @Test
  void mirroredUrl_isCopiedToTheOutputFile() throws Exception {
    Path out = dir.resolve("det.onnx.part");

    Result result = curl("-o", out.toString(), MODELS + "det/model.onnx");

    assertThat(result.exit()).isZero();
    assertThat(out).hasSameBinaryContentAs(mirror.resolve("det/model.onnx"));
  }

  @Test
  void mirroredUrl_withoutAnOutputFile_isWrittenToStdout() throws Exception {
    Files.writeString(mirror.resolve("keys.txt"), "a\nb\n");

    Result result = curl(MODELS + "keys.txt");

    assertThat(result.exit()).isZero();
    assertThat(result.stdout()).isEqualTo("a\nb\n");
  }

  @Test
  void unmirroredUrl_failsAsCurlFailsOnA404_namingTheUrl() throws Exception {
    Path out = dir.resolve("x.part");
    String url = "https://elsewhere.example.org/ocr/1.4.2/det/model.onnx";

    Result result = curl("-o", out.toString(), url);

    assertThat(result.exit()).isEqualTo(22);
    assertThat(result.stderr()).contains("(22)", "404", url);
    assertThat(out).doesNotExist();
  }

  @Test
  void missingFileUnderAMirroredPrefix_failsAsCurlFailsOnA404_namingTheUrl() throws Exception {
    Path out = dir.resolve("x.part");
    String url = MODELS + "rec/model.onnx";

    Result result = curl("-o", out.toString(), url);

    assertThat(result.exit()).isEqualTo(22);
    assertThat(result.stderr()).contains("(22)", "404", url);
    assertThat(out).doesNotExist();
  }

  @Test
  void downloadScript_fetchesAndVerifiesAMirroredModel() throws Exception {
    Path models = dir.resolve("models");
    String sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(mirror.resolve("det/model.onnx"))));
    String script =
        """
        set -eu
        mkdir -p "$(dirname '%1$s/ocr/det.onnx')"
        curl -fsSL --retry 5 --retry-connrefused -o '%1$s/ocr/det.onnx'.part '%2$sdet/model.onnx'
        echo '%3$s  %1$s/ocr/det.onnx.part' | sha256sum -c -
        mv '%1$s/ocr/det.onnx'.part '%1$s/ocr/det.onnx'
        """
            .formatted(models, MODELS, sha256);

    Result result = run(List.of("sh", "-c", script));

    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(models.resolve("ocr/det.onnx"))
        .hasSameBinaryContentAs(mirror.resolve("det/model.onnx"));
  }

  /** curl as the download init container calls it, with {@code args} after its options. */
  private Result curl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                bin.resolve("curl").toString(), "-fsSL", "--retry", "5", "--retry-connrefused"));
    command.addAll(List.of(args));
    return run(command);
  }

  private Result run(List<String> command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    // The pod's PATH: the mirror's bin first, as the fetch image has it (LocalImage.shell).
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
  }

  private record Result(int exit, String stdout, String stderr) {}
}
