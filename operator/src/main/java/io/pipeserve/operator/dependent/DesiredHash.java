package io.pipeserve.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pipeserve.operator.model.Names;
import java.util.Map;
import java.util.Objects;

/**
 * Whether an object in the cluster was written from the current desired state: both carry the hash
 * of the desired object. Comparing field by field would take the API server's defaults for changes,
 * and would miss a removed list entry (a toleration, a volume); the hash does neither.
 */
final class DesiredHash {
  private DesiredHash() {}

  static boolean same(HasMetadata actual, HasMetadata desired) {
    return Objects.equals(hash(actual), hash(desired));
  }

  private static String hash(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Names.DESIRED_HASH_ANNOTATION);
  }
}
