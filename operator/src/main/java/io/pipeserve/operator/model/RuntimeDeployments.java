package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.util.Map;

/** The Deployment of a {@link PodGroup}: the gateway's, or an op's. */
public final class RuntimeDeployments {
  private RuntimeDeployments() {}

  public static Deployment of(
      String pipeline,
      String namespace,
      PipelineResourceSpec spec,
      ServerSpec server,
      PodGroup group,
      String configHash) {
    Map<String, String> selector = selector(pipeline, group);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(group.name())
        .withNamespace(namespace)
        .withLabels(Names.withSelector(pipeline, selector))
        .endMetadata()
        .withNewSpec()
        .withReplicas(group.replicas())
        .withRevisionHistoryLimit(3)
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        // CPU pods: a new pod is ready before an old one goes, so capacity never drops. GPU pods:
        // a spare GPU for a surge pod is rarely free, so one old pod goes first.
        .withMaxSurge(new IntOrString(group.usesGpus() ? 0 : 1))
        .withMaxUnavailable(new IntOrString(group.usesGpus() ? 1 : 0))
        .endRollingUpdate()
        .endStrategy()
        .withTemplate(PodTemplates.of(pipeline, spec, server, group, selector, configHash))
        .endSpec()
        .build();
  }

  static Map<String, String> selector(String pipeline, PodGroup group) {
    return group.isGateway()
        ? Names.gatewaySelector(pipeline)
        : Names.opSelector(pipeline, group.op());
  }
}
