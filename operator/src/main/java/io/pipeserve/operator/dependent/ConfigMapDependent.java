package io.pipeserve.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.resource.Pipeline;

/** The ConfigMap holding the pipeline file the runtime pods read. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class ConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, Pipeline> {

  public ConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(Pipeline pipeline, Context<Pipeline> context) {
    return DesiredState.of(pipeline, context).configMap();
  }

  @Override
  public Result<ConfigMap> match(
      ConfigMap actual, ConfigMap desired, Pipeline pipeline, Context<Pipeline> context) {
    return Result.computed(DesiredHash.same(actual, desired), desired);
  }
}
