package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pipeserve.operator.resource.ModelSource;
import java.util.Optional;

/**
 * The models' volume in a pod: a read-only PersistentVolumeClaim, an emptyDir filled by the {@code
 * fetch-models} init container, or nothing when the models are in the image.
 */
final class ModelVolumes {
  private static final String VOLUME = PodTemplates.modelsVolume();

  private final ModelSource source;

  ModelVolumes(ModelSource source) {
    this.source = source;
  }

  Optional<Volume> volume() {
    if (source.pvc() != null) {
      return Optional.of(
          new VolumeBuilder()
              .withName(VOLUME)
              .withNewPersistentVolumeClaim()
              .withClaimName(source.pvc().claimName())
              .withReadOnly(true)
              .endPersistentVolumeClaim()
              .build());
    }
    if (!source.http().isEmpty()) {
      return Optional.of(PodTemplates.emptyDir(VOLUME));
    }
    return Optional.empty();
  }

  /** The mount of the runtime and the model servers: read-only, as they only read the files. */
  Optional<VolumeMount> mount(boolean readOnly) {
    if (volume().isEmpty()) {
      return Optional.empty();
    }
    VolumeMountBuilder mount =
        new VolumeMountBuilder()
            .withName(VOLUME)
            .withMountPath(source.mountPath())
            .withReadOnly(readOnly);
    if (source.pvc() != null && source.pvc().subPath() != null) {
      mount.withSubPath(source.pvc().subPath());
    }
    return Optional.of(mount.build());
  }

  /**
   * The init container that downloads the files before the runtime starts: each to a temporary name
   * first, so that a failed download never leaves a truncated model behind, then checked against
   * its SHA-256 when the spec gives one. A failure fails the pod's start, visibly, and Kubernetes
   * retries it with backoff.
   */
  Optional<Container> fetcher(SecurityContext securityContext) {
    if (source.http().isEmpty()) {
      return Optional.empty();
    }
    StringBuilder script = new StringBuilder("set -eu\n");
    for (ModelSource.Download d : source.http()) {
      String file = quote(source.mountPath() + "/" + d.path());
      script
          .append("mkdir -p \"$(dirname ")
          .append(file)
          .append(")\"\n")
          .append("curl -fsSL --retry 5 --retry-connrefused -o ")
          .append(file)
          .append(".part ")
          .append(quote(d.url()))
          .append('\n');
      if (d.sha256() != null) {
        script
            .append("echo ")
            .append(
                quote(
                    d.sha256().toLowerCase()
                        + "  "
                        + source.mountPath()
                        + "/"
                        + d.path()
                        + ".part"))
            .append(" | sha256sum -c -\n");
      }
      script.append("mv ").append(file).append(".part ").append(file).append('\n');
    }
    return Optional.of(
        new ContainerBuilder()
            .withName(PodTemplates.FETCH_MODELS)
            .withImage(source.fetchImage())
            .withCommand("sh", "-c", script.toString())
            .withVolumeMounts(
                mount(false).orElseThrow(), PodTemplates.mount(PodTemplates.TMP_VOLUME, "/tmp"))
            .withNewResources()
            .addToRequests("cpu", new Quantity("100m"))
            .addToRequests("memory", new Quantity("64Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .endResources()
            .withSecurityContext(securityContext)
            .build());
  }

  /** {@code text} as one shell word. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
