package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;

/** The ConfigMap holding the pipeline file the runtime pods read. */
public final class ConfigMapModel {
  private ConfigMapModel() {}

  public static ConfigMap of(String pipeline, String namespace, RuntimeConfig config) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(Names.configMap(pipeline))
        .withNamespace(namespace)
        .withLabels(Names.labels(pipeline))
        .endMetadata()
        .withData(Map.of(Names.CONFIG_FILE, config.yaml()))
        .build();
  }
}
