package net.ctracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Helm chart, linted and rendered by helm itself (helm-java bundles its library), each object
 * parsed with fabric8's Kubernetes model, and every reference between objects checked: selectors
 * match the pods' labels, Services and probes name ports the container has, the Secret and the
 * dashboard ConfigMap exist, and the values schema rejects bad values. For the default values and
 * for the second region's example values.
 */
class HelmChartTest {

    private static final Path ROOT = DockerEngine.repositoryRoot();
    private static final Path CHART = ROOT.resolve("helm/ctracker");
    private static final Path SECOND_REGION = CHART.resolve("examples/second-region.yaml");
    private static final String SECRET = "a-cluster-secret-for-tests";
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void chartLintsCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultValuesRenderAConsistentFirstRegion() throws Exception {
        Rendered r = render("ctracker", t -> t.set("clusterSecret.value", SECRET));
        r.assertReferencesHold();
        StatefulSet sts = r.one(StatefulSet.class);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        Map<String, String> env = r.env();
        assertThat(env).containsEntry("CTRACKER_REGION", "region-1").containsEntry("SERVER_PORT", "6969")
                .containsEntry("CTRACKER_INTERNAL_PORT", "7070")
                .containsEntry("CTRACKER_ADVERTISED_URL", "http://$(POD_NAME).ctracker-headless.$(POD_NAMESPACE).svc.cluster.local:7070");
        assertThat(env.get("CTRACKER_BOOTSTRAP").split(",")).as("every pod bootstraps through all of them, itself included")
                .containsExactly("http://ctracker-0.ctracker-headless.tracker.svc.cluster.local:7070",
                        "http://ctracker-1.ctracker-headless.tracker.svc.cluster.local:7070",
                        "http://ctracker-2.ctracker-headless.tracker.svc.cluster.local:7070");
        assertThat(r.container().getCommand()).as("the image's own entrypoint").isNullOrEmpty();
        Service publicService = r.service("ctracker");
        assertThat(publicService.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(publicService.getSpec().getExternalTrafficPolicy()).as("clients' own addresses reach the tracker").isEqualTo("Local");
        assertThat(publicService.getSpec().getTrafficDistribution()).isEqualTo("PreferClose");
        assertThat(publicService.getSpec().getPorts()).extracting(ServicePort::getProtocol).containsExactlyInAnyOrder("TCP", "UDP");
        assertThat(r.service("ctracker-headless").getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(r.all(GenericKubernetesResource.class)).as("no ServiceMonitor unless asked").isEmpty();
        assertThat(r.all(PodDisruptionBudget.class)).hasSize(1);
    }

    @Test
    void secondRegionJoinsThroughTheFirstAndNeverThroughItself() throws Exception {
        Rendered r = render("ctracker-isp-b", t -> t.withValuesFile(SECOND_REGION).set("clusterSecret.value", SECRET));
        r.assertReferencesHold();
        Map<String, String> env = r.env();
        assertThat(env).containsEntry("CTRACKER_REGION", "isp-b")
                .containsEntry("CTRACKER_ADVERTISED_URL", "http://$(POD_NAME).tracker.isp-b.example.net:7070")
                .doesNotContainKey("CTRACKER_BOOTSTRAP");
        assertThat(env.get("CTRACKER_BOOTSTRAP_CANDIDATES").split(",")).containsExactly(
                "http://ctracker-0.tracker.isp-a.example.net:7070", "http://ctracker-1.tracker.isp-a.example.net:7070",
                "http://ctracker-isp-b-0.tracker.isp-b.example.net:7070", "http://ctracker-isp-b-1.tracker.isp-b.example.net:7070");
        // run the container's start command, java replaced by a print of what it would be given
        Container c = r.container();
        assertThat(c.getCommand()).containsExactly("/bin/sh", "-c");
        String script = c.getArgs().get(0);
        assertThat(script).contains("exec java -jar /app/tracker-node.jar");
        String bootstrap = runShell(script.replace("exec java -jar /app/tracker-node.jar", "printf %s \"$CTRACKER_BOOTSTRAP\""),
                Map.of("CTRACKER_BOOTSTRAP_CANDIDATES", env.get("CTRACKER_BOOTSTRAP_CANDIDATES"),
                        "CTRACKER_ADVERTISED_URL", "http://ctracker-isp-b-1.tracker.isp-b.example.net:7070"));
        assertThat(bootstrap.split(",")).containsExactly("http://ctracker-0.tracker.isp-a.example.net:7070",
                "http://ctracker-1.tracker.isp-a.example.net:7070", "http://ctracker-isp-b-0.tracker.isp-b.example.net:7070");
        // one Service per pod for the other region, named by DNS through the annotation template
        assertThat(r.service("ctracker-isp-b-1").getMetadata().getAnnotations())
                .containsEntry("external-dns.alpha.kubernetes.io/hostname", "ctracker-isp-b-1.tracker.isp-b.example.net");
        assertThat(r.service("ctracker-isp-b-1").getSpec().getLoadBalancerSourceRanges()).containsExactly("198.51.100.0/24");
        GenericKubernetesResource monitor = r.one(GenericKubernetesResource.class);
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    }

    @Test
    void anExistingSecretIsUsedByNameAndNoneIsMade() throws Exception {
        Rendered r = render("ctracker", t -> t.set("clusterSecret.existingSecret", "ops-secret").set("clusterSecret.key", "s"));
        assertThat(r.all(Secret.class)).isEmpty();
        EnvVar secret = r.container().getEnv().stream().filter(e -> e.getName().equals("CTRACKER_CLUSTER_SECRET")).findFirst().orElseThrow();
        assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ops-secret");
        assertThat(secret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("s");
    }

    @Test
    void zoneCanBeAppendedToTheRegionFromThePodsTopologyLabel() throws Exception {
        Rendered r = render("ctracker", t -> t.set("clusterSecret.value", SECRET).set("zoneInRegion", true));
        EnvVar zone = r.container().getEnv().stream().filter(e -> e.getName().equals("NODE_ZONE")).findFirst().orElseThrow();
        assertThat(zone.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.labels['topology.kubernetes.io/zone']");
        assertThat(r.env()).containsEntry("CTRACKER_REGION", "region-1/$(NODE_ZONE)");
        List<String> names = r.container().getEnv().stream().map(EnvVar::getName).toList();
        assertThat(names.indexOf("NODE_ZONE")).as("defined before it is used").isLessThan(names.indexOf("CTRACKER_REGION"));
    }

    @Test
    void theAdminCredentialIsOffByDefaultAndComesFromASecretWhenOn() throws Exception {
        Rendered off = render("ctracker", t -> t.set("clusterSecret.value", SECRET));
        assertThat(off.container().getEnv()).extracting(EnvVar::getName)
                .doesNotContain("CTRACKER_ADMIN_USERNAME", "CTRACKER_ADMIN_PASSWORD");
        assertThat(off.all(Secret.class)).hasSize(1);

        Rendered on = render("ctracker", t -> t.set("clusterSecret.value", SECRET).set("adminCredential.enabled", true)
                .set("adminCredential.username", "ops").set("adminCredential.password", "an-operator-password"));
        on.assertReferencesHold();
        assertThat(on.env()).containsEntry("CTRACKER_ADMIN_USERNAME", "ops");
        EnvVar password = on.container().getEnv().stream().filter(e -> e.getName().equals("CTRACKER_ADMIN_PASSWORD"))
                .findFirst().orElseThrow();
        assertThat(password.getValue()).as("never in the pod spec itself").isNull();
        Secret secret = on.all(Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(password.getValueFrom().getSecretKeyRef().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("the admin credential's Secret is rendered"));
        assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get(password.getValueFrom().getSecretKeyRef().getKey())),
                StandardCharsets.UTF_8)).isEqualTo("an-operator-password");
        assertThat(on.one(StatefulSet.class).getSpec().getTemplate().getMetadata().getAnnotations())
                .as("a new password restarts the pods").containsKey("checksum/admin-credential");

        Rendered existing = render("ctracker", t -> t.set("clusterSecret.value", SECRET).set("adminCredential.enabled", true)
                .set("adminCredential.existingSecret", "ops-admin").set("adminCredential.key", "pw"));
        EnvVar ref = existing.container().getEnv().stream().filter(e -> e.getName().equals("CTRACKER_ADMIN_PASSWORD"))
                .findFirst().orElseThrow();
        assertThat(ref.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ops-admin");
        assertThat(ref.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
        assertThat(existing.all(Secret.class)).as("only the cluster secret is made").hasSize(1);

        assertThatThrownBy(() -> render("ctracker", t -> t.set("clusterSecret.value", SECRET).set("adminCredential.enabled", true)))
                .hasMessageContaining("adminCredential.enabled needs adminCredential.password");
    }

    @Test
    void withoutAnyClusterSecretTheChartRefusesToRender() {
        assertThatThrownBy(() -> render("ctracker", t -> { }))
                .hasMessageContaining("clusterSecret.value (16+ characters) or clusterSecret.existingSecret is required");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
            "region|''",
            "region|' '",
            "region|isp a",
            "replicaCount|0",
            "clusterSecret.value|too-short",
            "bootstrap.urls[0]|ctracker-0:7070",
            "ports.internal|70000",
            "publicService.type|Ingress",
            "advertisedUrl|http://tracker.example.net:7070",
            "replicas|3",
            "adminCredential.password|short",
            "adminCredential.username|a:b",
    })
    void theSchemaRejectsBadValues(String key, String value) {
        assertThatThrownBy(() -> render("ctracker", t -> t.set("clusterSecret.value", SECRET).set(key, value)))
                .as("%s=%s", key, value).hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(key.replaceAll("[.\\[].*", ""));
    }

    // ------------------------------------------------------------------------------------ helpers

    private static Rendered render(String release, Consumer<TemplateCommand> values) {
        TemplateCommand t = new Helm(CHART).template().withName(release).withNamespace("tracker");
        values.accept(t);
        String yaml = t.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            objects.add((HasMetadata) YAML.readValue(doc, KubernetesResource.class));
        }
        return new Rendered(objects);
    }

    private static String runShell(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("start script: %s", out).isZero();
        return out;
    }

    private record Rendered(List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
            return found.get(0);
        }

        Service service(String name) {
            return all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no Service " + name + " among "
                            + all(Service.class).stream().map(s -> s.getMetadata().getName()).toList()));
        }

        Container container() {
            List<Container> containers = one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers();
            assertThat(containers).hasSize(1);
            return containers.get(0);
        }

        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            container().getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
            return env;
        }

        @SuppressWarnings("unchecked")
        void assertReferencesHold() throws IOException {
            StatefulSet sts = one(StatefulSet.class);
            Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).as("the StatefulSet's selector matches its pods")
                    .containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
            Container c = container();
            Map<String, ContainerPort> ports = c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, p -> p));
            assertThat(ports.keySet()).allMatch(n -> n.length() <= 15, "port names of at most 15 characters");

            Service headless = service(sts.getSpec().getServiceName());
            assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
            for (Service s : all(Service.class)) {
                Map<String, String> selector = new HashMap<>(s.getSpec().getSelector());
                String podName = selector.remove("statefulset.kubernetes.io/pod-name");
                if (podName != null) {
                    int ordinal = Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
                    assertThat(podName).isEqualTo(sts.getMetadata().getName() + "-" + ordinal);
                    assertThat(ordinal).isLessThan(sts.getSpec().getReplicas());
                }
                assertThat(podLabels).as("Service %s selects the pods", s.getMetadata().getName()).containsAllEntriesOf(selector);
                for (ServicePort p : s.getSpec().getPorts()) {
                    ContainerPort target = ports.get(p.getTargetPort().getStrVal());
                    assertThat(target).as("Service %s port %s targets a named container port", s.getMetadata().getName(), p.getName())
                            .isNotNull();
                    assertThat(target.getProtocol()).isEqualTo(p.getProtocol());
                    assertThat(target.getContainerPort()).isEqualTo(p.getPort());
                }
            }
            for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
                assertThat(ports).as("probes name a real port").containsKey(probe.getHttpGet().getPort().getStrVal());
                assertThat(ports.get(probe.getHttpGet().getPort().getStrVal()).getContainerPort())
                        .isEqualTo(Integer.parseInt(env().get("CTRACKER_INTERNAL_PORT")));
            }
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(ports.get("tracker-http").getContainerPort()).isEqualTo(Integer.parseInt(env().get("SERVER_PORT")));

            EnvVar secretEnv = c.getEnv().stream().filter(e -> e.getName().equals("CTRACKER_CLUSTER_SECRET")).findFirst().orElseThrow();
            Secret secret = all(Secret.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(secretEnv.getValueFrom().getSecretKeyRef().getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("the cluster secret's Secret is rendered"));
            assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get(secretEnv.getValueFrom().getSecretKeyRef().getKey())),
                    StandardCharsets.UTF_8)).isEqualTo(SECRET);

            ConfigMap dashboard = one(ConfigMap.class);
            assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(JSON.readTree(dashboard.getData().get("ctracker.json")))
                    .as("the dashboard ConfigMap holds dashboards/ctracker.json")
                    .isEqualTo(JSON.readTree(Files.readString(CHART.resolve("dashboards/ctracker.json"))));

            assertThat(podLabels).as("the PodDisruptionBudget selects the pods")
                    .containsAllEntriesOf(one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
            for (TopologySpreadConstraint t : sts.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()) {
                assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels());
            }
            assertThat(sts.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                    .extracting(TopologySpreadConstraint::getTopologyKey).contains("topology.kubernetes.io/zone");

            for (GenericKubernetesResource monitor : all(GenericKubernetesResource.class)) {
                assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
                @SuppressWarnings("unchecked")
                Map<String, String> match = (Map<String, String>) ((Map<String, Object>) monitor.getAdditionalProperties()
                        .get("spec")).entrySet().stream().filter(e -> e.getKey().equals("selector"))
                        .map(e -> ((Map<String, Object>) e.getValue()).get("matchLabels")).findFirst().orElseThrow();
                List<Service> selected = all(Service.class).stream()
                        .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(match.entrySet())).toList();
                assertThat(selected).as("the ServiceMonitor selects exactly the internal Service")
                        .extracting(s -> s.getMetadata().getName()).containsExactly(sts.getMetadata().getName() + "-internal");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> endpoints = (List<Map<String, Object>>) ((Map<String, Object>) monitor.getAdditionalProperties()
                        .get("spec")).get("endpoints");
                assertThat(endpoints).singleElement().satisfies(e -> {
                    assertThat(e.get("path")).isEqualTo("/actuator/prometheus");
                    String regionLabel = "__meta_kubernetes_pod_label_" + "ctracker.net/region".replaceAll("[^A-Za-z0-9_]", "_");
                    assertThat((List<Map<String, Object>>) e.get("relabelings")).as("the dashboard's region label from the pods' label")
                            .anySatisfy(r -> {
                                assertThat(r.get("sourceLabels")).isEqualTo(List.of(regionLabel));
                                assertThat(r.get("targetLabel")).isEqualTo("region");
                            });
                    assertThat(podLabels).containsKey("ctracker.net/region");
                    assertThat(selected.get(0).getSpec().getPorts()).extracting(ServicePort::getName).contains((String) e.get("port"));
                });
            }
            assertThat(Arrays.asList(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toArray()))
                    .doesNotHaveDuplicates();
        }
    }
}
