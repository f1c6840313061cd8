package io.pipeserve.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.resource.Pipeline;
import java.util.Map;

/**
 * The runtime Deployments: the gateway's and one per op with pods of its own. An op that loses its
 * replicas (back into the gateway) loses its Deployment: the operator deletes what it no longer
 * desires.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class DeploymentsDependent extends CRUDKubernetesDependentResource<Deployment, Pipeline>
    implements BulkDependentResource<Deployment, Pipeline, ResourceID> {

  public DeploymentsDependent() {
    super(Deployment.class);
  }

  @Override
  public Map<ResourceID, Deployment> desiredResources(
      Pipeline pipeline, Context<Pipeline> context) {
    return Owned.byId(DesiredState.of(pipeline, context).deployments());
  }

  @Override
  public Map<ResourceID, Deployment> getSecondaryResources(
      Pipeline pipeline, Context<Pipeline> context) {
    return Owned.byId(context.getSecondaryResources(Deployment.class));
  }

  @Override
  public Result<Deployment> match(
      Deployment actual, Deployment desired, Pipeline pipeline, Context<Pipeline> context) {
    return Result.computed(DesiredHash.same(actual, desired), desired);
  }
}
