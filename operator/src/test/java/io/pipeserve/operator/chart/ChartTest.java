package io.pipeserve.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pipeserve.operator.model.PipelineModel;
import io.pipeserve.operator.model.PodTemplates;
import io.pipeserve.operator.resource.OcrExampleTest;
import io.pipeserve.operator.testing.Repo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart, linted and rendered by Helm itself (helm-java bundles it; no network). */
class ChartTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void chart_lintsClean() {
    LintResult lint = new Helm(Repo.path("charts/pipeserve")).lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void defaults_renderTheOperatorWithClusterWideRbac_andTheCrd() {
    List<HasMetadata> objects = render(t -> t);
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "NetworkPolicy");
    CustomResourceDefinition crd =
        JSON.unmarshal(
            new Helm(Repo.path("charts/pipeserve")).show().crds().call(),
            CustomResourceDefinition.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("pipelines.pipeserve.io");
    Container operator = operatorContainer(objects);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/pipeserve/operator:0.1.0");
    assertThat(env(operator)).containsEntry("WATCH_NAMESPACES", "");
    assertThat(operator.getEnv())
        .filteredOn(e -> e.getName().equals("POD_NAMESPACE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.namespace"));
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void rbac_grantsOnlyWhatTheOperatorDoes() {
    ClusterRole role = one(render(t -> t), ClusterRole.class);
    assertThat(rules(role.getRules()))
        .containsExactlyInAnyOrder(
            "pipeserve.io/pipelines: get,list,watch",
            "pipeserve.io/pipelines/status: patch",
            "/configmaps: get,list,watch,create,update",
            "/services: get,list,watch,create,update,delete",
            "apps/deployments: get,list,watch,create,update,delete",
            "/pods: get,list,watch");
    Role lease =
        render(t -> t).stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .filter(r -> r.getMetadata().getName().endsWith("-leader-election"))
            .findFirst()
            .orElseThrow();
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("pipeserve-system");
    assertThat(rules(lease.getRules()))
        .containsExactly("coordination.k8s.io/leases: get,create,update");
  }

  @Test
  void watchedNamespaces_getRolesOfTheirOwn_andNoClusterRole() {
    List<HasMetadata> objects =
        render(t -> t.set("watchNamespaces[0]", "ml").set("watchNamespaces[1]", "ocr"));
    assertThat(objects).noneMatch(ClusterRole.class::isInstance);
    assertThat(objects)
        .filteredOn(
            o -> o instanceof Role && !o.getMetadata().getName().endsWith("-leader-election"))
        .extracting(o -> o.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("ml", "ocr");
    assertThat(objects)
        .filteredOn(RoleBinding.class::isInstance)
        .allSatisfy(
            b ->
                assertThat(((RoleBinding) b).getSubjects().get(0).getNamespace())
                    .isEqualTo("pipeserve-system"));
    assertThat(env(operatorContainer(objects))).containsEntry("WATCH_NAMESPACES", "ml,ocr");
    assertThat(objects)
        .filteredOn(NetworkPolicy.class::isInstance)
        .extracting(o -> o.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("ml", "ocr");
  }

  @Test
  void networkPolicy_letsOnlyTheOperatorReachTheAdminPort_ofThePodsTheOperatorMakes() {
    List<HasMetadata> objects = render(t -> t.set("watchNamespaces[0]", "ocr"));
    NetworkPolicy policy = one(objects, NetworkPolicy.class);
    PodTemplateSpec runtimePod =
        PipelineModel.of(OcrExampleTest.example()).deployments().get(0).getSpec().getTemplate();
    assertThat(runtimePod.getMetadata().getLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());

    Map<String, NetworkPolicyIngressRule> byPort =
        policy.getSpec().getIngress().stream()
            .flatMap(r -> r.getPorts().stream().map(p -> Map.entry(p.getPort().getStrVal(), r)))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(byPort).containsOnlyKeys(PodTemplates.HTTP, PodTemplates.GRPC, PodTemplates.ADMIN);
    assertThat(byPort.get(PodTemplates.HTTP).getFrom()).isNullOrEmpty();
    var from = byPort.get(PodTemplates.ADMIN).getFrom();
    assertThat(from).singleElement();
    assertThat(operatorPodLabels(objects))
        .containsAllEntriesOf(from.get(0).getPodSelector().getMatchLabels());
    assertThat(from.get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "pipeserve-system");
    assertThat(runtimePod.getSpec().getContainers().get(0).getPorts())
        .extracting(p -> p.getName())
        .containsExactly(PodTemplates.HTTP, PodTemplates.GRPC, PodTemplates.ADMIN);
  }

  @Test
  void values_setImageAndResources_andTheNetworkPolicyCanBeLeftOut() {
    List<HasMetadata> objects =
        render(
            t ->
                t.set("image.repository", "registry.local/op")
                    .set("image.tag", "dev")
                    .set("resources.limits.memory", "1Gi")
                    .set("networkPolicy.enabled", "false"));
    Container operator = operatorContainer(objects);
    assertThat(operator.getImage()).isEqualTo("registry.local/op:dev");
    assertThat(operator.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(objects).noneMatch(NetworkPolicy.class::isInstance);
  }

  private static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    String yaml =
        values
            .apply(
                new Helm(Repo.path("charts/pipeserve"))
                    .template()
                    .withName("pipeserve")
                    .withNamespace("pipeserve-system")
                    .withKubeVersion("1.31.0"))
            .call();
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(doc -> (HasMetadata) JSON.unmarshal(doc))
        .toList();
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  private static Container operatorContainer(List<HasMetadata> objects) {
    return one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> operatorPodLabels(List<HasMetadata> objects) {
    return one(objects, Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static List<String> rules(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            r ->
                r.getResources().stream()
                    .map(
                        res ->
                            String.join(",", r.getApiGroups())
                                + "/"
                                + res
                                + ": "
                                + String.join(",", r.getVerbs())))
        .toList();
  }
}
