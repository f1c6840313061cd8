package io.pipeserve.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Objects keyed as the bulk dependents key them: by namespace and name. */
final class Owned {
  private Owned() {}

  static <T extends HasMetadata> Map<ResourceID, T> byId(Collection<T> objects) {
    Map<ResourceID, T> byId = new LinkedHashMap<>();
    for (T object : objects) {
      byId.put(ResourceID.fromResource(object), object);
    }
    return byId;
  }
}
