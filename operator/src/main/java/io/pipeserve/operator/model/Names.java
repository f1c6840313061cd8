package io.pipeserve.operator.model;

import io.pipeserve.operator.resource.Pipeline;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names and labels of the objects a {@link Pipeline} owns. The gateway's Service carries the
 * pipeline's own name, so clients in the namespace reach {@code http://NAME:PORT}; an op with pods
 * of its own gets {@code NAME-OP}.
 */
public final class Names {
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
  public static final String LABEL_OP = "pipeserve.io/op";

  public static final String APP = "pipeserve";
  public static final String MANAGER = "pipeserve-operator";
  public static final String GATEWAY = "gateway";
  public static final String OP = "op";

  /** Selects what the operator manages; its informers watch nothing else. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGER;

  /** Hash of the pipeline config without its trace settings; a change rolls the pods. */
  public static final String CONFIG_HASH_ANNOTATION = "pipeserve.io/config-hash";

  /** Hash of the whole desired object; the operator updates an object whose hash differs. */
  public static final String DESIRED_HASH_ANNOTATION = "pipeserve.io/desired-hash";

  /** Where the runtime reads its pipeline file, and the file name in the ConfigMap. */
  public static final String CONFIG_DIR = "/etc/pipeserve";

  public static final String CONFIG_FILE = "pipeline.yaml";

  /** Kubernetes object names that are DNS labels (Services) hold at most 63 characters. */
  public static final int MAX_DNS_LABEL = 63;

  private Names() {}

  public static String gateway(String pipeline) {
    return pipeline;
  }

  public static String configMap(String pipeline) {
    return pipeline + "-config";
  }

  /** The Deployment and headless Service of an op with pods of its own. */
  public static String op(String pipeline, String op) {
    return pipeline + "-" + dnsLabel(op);
  }

  /**
   * An op name as it can appear in a DNS label: lower case, and '-' for the '_' and '.' that op
   * names may hold.
   */
  public static String dnsLabel(String op) {
    return op.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  /** The labels every object of {@code pipeline} carries. */
  public static Map<String, String> labels(String pipeline) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP);
    labels.put(LABEL_INSTANCE, pipeline);
    labels.put(LABEL_PART_OF, APP);
    labels.put(LABEL_MANAGED_BY, MANAGER);
    return labels;
  }

  /** The labels of the gateway's objects and pods, which its selector matches. */
  public static Map<String, String> gatewaySelector(String pipeline) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP);
    labels.put(LABEL_INSTANCE, pipeline);
    labels.put(LABEL_COMPONENT, GATEWAY);
    return labels;
  }

  /** The labels of an op's objects and pods, which its selector matches. */
  public static Map<String, String> opSelector(String pipeline, String op) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP);
    labels.put(LABEL_INSTANCE, pipeline);
    labels.put(LABEL_COMPONENT, OP);
    labels.put(LABEL_OP, dnsLabel(op));
    return labels;
  }

  /** {@link #labels} and {@code selector} together. */
  public static Map<String, String> withSelector(String pipeline, Map<String, String> selector) {
    Map<String, String> all = labels(pipeline);
    all.putAll(selector);
    return all;
  }
}
