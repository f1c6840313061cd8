package io.pipeserve.operator.resource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.StepSpec;

/**
 * A pipeline served on Kubernetes: the pipeline spec the runtime reads, plus where its pods run.
 *
 * <p>{@code kubectl get psp} shows whether it is ready and where it is served.
 */
@Group(Pipeline.GROUP)
@Version(Pipeline.VERSION)
@Kind("Pipeline")
@Singular("pipeline")
@Plural("pipelines")
@ShortNames("psp")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoints.http", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@SchemaSwap(originalType = OpSpec.class, fieldName = "params", targetType = FreeForm.class)
@SchemaSwap(originalType = StepSpec.class, fieldName = "params", targetType = FreeForm.class)
public class Pipeline extends CustomResource<PipelineResourceSpec, PipelineStatus>
    implements Namespaced {
  public static final String GROUP = "pipeserve.io";
  public static final String VERSION = "v1alpha1";
}
