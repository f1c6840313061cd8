package io.pipeserve.operator.testing;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pipeserve.operator.resource.Pipeline;

/** Pipeline resources written as YAML, as users write them. */
public final class TestPipelines {
  public static final String NAMESPACE = "ml";
  public static final String IMAGE = "ghcr.io/pipeserve/runtime:test";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Two ops, both on CPU in the gateway: the smallest pipeline with a DAG. */
  public static final String TWO_OPS =
      """
      ops:
        - name: pre
          kind: none
          preprocess:
            - step: softmax
              params: {input: x, output: y}
        - name: post
          inputs: [pre]
          kind: none
      """;

  private TestPipelines() {}

  /**
   * A Pipeline named {@code name} in {@link #NAMESPACE} whose spec is {@code spec} (YAML, at the
   * indentation of {@code spec:}'s children) plus {@code image} when it names none.
   */
  public static Pipeline pipeline(String name, String spec) {
    String body =
        spec.startsWith("image:") || spec.contains("\nimage:")
            ? spec
            : "image: " + IMAGE + "\n" + spec;
    String yaml =
        "apiVersion: pipeserve.io/v1alpha1\nkind: Pipeline\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + NAMESPACE
            + "\nspec:\n"
            + body.indent(2);
    return JSON.unmarshal(yaml, Pipeline.class);
  }
}
