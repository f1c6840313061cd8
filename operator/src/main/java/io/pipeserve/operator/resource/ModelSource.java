package io.pipeserve.operator.resource;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Where the model files come from. The pipeline file is {@code /etc/pipeserve/pipeline.yaml}, and
 * model paths resolve against its directory, so the default {@code mountPath} makes {@code model:
 * models/det.onnx} work as it does next to a local pipeline.yaml.
 *
 * <ul>
 *   <li>neither {@code pvc} nor {@code http}: the files are in the image (built {@code FROM} the
 *       runtime image with the models under {@code mountPath}, or named by absolute paths);
 *   <li>{@code pvc}: a PersistentVolumeClaim mounted read-only at {@code mountPath};
 *   <li>{@code http}: files downloaded by an init container into an emptyDir at {@code mountPath}
 *       before the runtime starts, each checked against its sha256 when given.
 * </ul>
 *
 * @param mountPath where the files appear in the pods; {@code /etc/pipeserve/models} when unset
 * @param pvc a claim holding the files
 * @param http files to download
 * @param fetchImage the image of the download init container (it needs sh, curl and sha256sum)
 */
@ValidationRule(
    value = "!(has(self.pvc) && has(self.http))",
    message = "models come from one source: pvc or http, not both")
public record ModelSource(
    @Size(max = 256) String mountPath,
    Pvc pvc,
    @Size(max = 64) List<Download> http,
    @Size(max = 512) String fetchImage) {
  public static final String DEFAULT_MOUNT_PATH = "/etc/pipeserve/models";
  public static final String DEFAULT_FETCH_IMAGE = "curlimages/curl:8.11.1";
  public static final ModelSource IN_IMAGE = new ModelSource(null, null, null, null);

  public ModelSource {
    mountPath = mountPath == null ? DEFAULT_MOUNT_PATH : mountPath;
    http = http == null ? List.of() : List.copyOf(http);
    fetchImage = fetchImage == null ? DEFAULT_FETCH_IMAGE : fetchImage;
  }

  /**
   * A PersistentVolumeClaim holding the model files, mounted read-only.
   *
   * @param claimName the claim, in the pipeline's namespace
   * @param subPath a directory of the volume to mount instead of its root
   */
  public record Pvc(@Required String claimName, String subPath) {}

  /**
   * One file to download.
   *
   * @param url http or https URL
   * @param path where the file goes, relative to {@code mountPath}
   * @param sha256 expected SHA-256 of the file, hex; the pod does not start on a mismatch
   */
  @ValidationRule(
      value = "self.url.startsWith('https://') || self.url.startsWith('http://')",
      message = "url must be an http:// or https:// URL")
  @ValidationRule(
      value = "!self.path.startsWith('/') && !self.path.contains('..')",
      message = "path is relative to mountPath and stays under it (no leading /, no ..)")
  public record Download(
      @Required @Size(max = 2048) String url,
      @Required @Size(min = 1, max = 256) String path,
      @Size(max = 64) String sha256) {}
}
