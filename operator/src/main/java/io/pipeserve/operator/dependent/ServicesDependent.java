package io.pipeserve.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.resource.Pipeline;
import java.util.Map;

/** The runtime Services: the gateway's, and a headless one per op with pods of its own. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class ServicesDependent extends CRUDKubernetesDependentResource<Service, Pipeline>
    implements BulkDependentResource<Service, Pipeline, ResourceID> {

  public ServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(Pipeline pipeline, Context<Pipeline> context) {
    return Owned.byId(DesiredState.of(pipeline, context).services());
  }

  @Override
  public Map<ResourceID, Service> getSecondaryResources(
      Pipeline pipeline, Context<Pipeline> context) {
    return Owned.byId(context.getSecondaryResources(Service.class));
  }

  @Override
  public Result<Service> match(
      Service actual, Service desired, Pipeline pipeline, Context<Pipeline> context) {
    return Result.computed(DesiredHash.same(actual, desired), desired);
  }
}
