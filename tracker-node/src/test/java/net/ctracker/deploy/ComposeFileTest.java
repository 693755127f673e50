package net.ctracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml against the files it names: five nodes in three regions with distinct ports,
 * joined through the first once it is healthy; Prometheus scrapes exactly the nodes' internal
 * ports; Grafana gets the chart's dashboard file and a data source that points at that Prometheus.
 * (CI also runs {@code docker-compose config}; the containers themselves are ContainerClusterIT's.)
 */
class ComposeFileTest {

    private static final Path ROOT = DockerEngine.repositoryRoot();

    @Test
    @SuppressWarnings("unchecked")
    void nodesPrometheusAndGrafanaFitTogether() throws IOException {
        Map<String, Object> compose = load(ROOT.resolve("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Map<String, Object>> nodes = new TreeMap<>();
        services.forEach((name, s) -> {
            if (name.startsWith("ctracker-")) {
                nodes.put(name, s);
            }
        });
        assertThat(nodes).hasSize(5);
        Set<String> regions = new HashSet<>();
        Set<String> ports = new HashSet<>();
        Map<String, String> regionOfTarget = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : nodes.entrySet()) {
            Map<String, Object> s = e.getValue();
            Map<String, Object> env = (Map<String, Object>) s.get("environment");
            assertThat(s).containsEntry("network_mode", "host").containsEntry("env_file", "ctracker.env");
            regions.add((String) env.get("CTRACKER_REGION"));
            String in = (String) env.get("CTRACKER_INTERNAL_PORT");
            assertThat(ports.add((String) env.get("SERVER_PORT"))).as("public port of %s", e.getKey()).isTrue();
            assertThat(ports.add(in)).as("internal port of %s", e.getKey()).isTrue();
            regionOfTarget.put("127.0.0.1:" + in, (String) env.get("CTRACKER_REGION"));
            assertThat(env.get("CTRACKER_ADVERTISED_URL")).isEqualTo("http://127.0.0.1:" + in);
            assertThat((String) env.get("CTRACKER_BOOTSTRAP")).contains("http://127.0.0.1:7070");
            if (!e.getKey().equals("ctracker-1")) {
                assertThat(s.get("depends_on")).as("%s starts once the bootstrap node is healthy", e.getKey())
                        .isEqualTo(Map.of("ctracker-1", Map.of("condition", "service_healthy")));
            }
            assertThat(((Map<String, Object>) s.get("build")).get("dockerfile")).isEqualTo("docker/Dockerfile");
        }
        assertThat(regions).hasSize(3);

        List<String> promVolumes = (List<String>) services.get("prometheus").get("volumes");
        String promConfig = promVolumes.stream().filter(v -> v.endsWith(":/etc/prometheus/prometheus.yml:ro")).findFirst().orElseThrow();
        Map<String, Object> prom = load(ROOT.resolve(promConfig.substring(0, promConfig.indexOf(':'))));
        Map<String, Object> job = ((List<Map<String, Object>>) prom.get("scrape_configs")).get(0);
        assertThat(job).containsEntry("metrics_path", "/actuator/prometheus");
        Map<String, String> scraped = new HashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) job.get("static_configs")) {
            String region = ((Map<String, String>) group.get("labels")).get("region");
            ((List<String>) group.get("targets")).forEach(t -> assertThat(scraped.put(t, region)).as("%s scraped once", t).isNull());
        }
        assertThat(scraped).as("Prometheus scrapes every node's internal port, labelled with its region").isEqualTo(regionOfTarget);
        String listen = ((List<String>) services.get("prometheus").get("command")).stream()
                .filter(c -> c.startsWith("--web.listen-address=")).findFirst().orElseThrow().substring("--web.listen-address=".length());

        List<String> grafanaVolumes = (List<String>) services.get("grafana").get("volumes");
        assertThat(grafanaVolumes).contains("./helm/ctracker/dashboards:/var/lib/grafana/dashboards/ctracker:ro");
        Map<String, Object> provider = ((List<Map<String, Object>>) load(ROOT.resolve("docker/grafana/provisioning/dashboards/ctracker.yml"))
                .get("providers")).get(0);
        assertThat(((Map<String, Object>) provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards/ctracker");
        Map<String, Object> datasource = ((List<Map<String, Object>>) load(ROOT.resolve("docker/grafana/provisioning/datasources/prometheus.yml"))
                .get("datasources")).get(0);
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://" + listen);
        assertThat(ROOT.resolve("ctracker.env.example")).content().contains("CTRACKER_CLUSTER_SECRET=");
        // how to turn the admin credential on: commented out (off by default), valid once uncommented
        List<String> example = Files.readAllLines(ROOT.resolve("ctracker.env.example"));
        assertThat(example).noneMatch(l -> l.startsWith("CTRACKER_ADMIN_"));
        assertThat(example).anyMatch(l -> l.startsWith("#CTRACKER_ADMIN_USERNAME="));
        String password = example.stream().filter(l -> l.startsWith("#CTRACKER_ADMIN_PASSWORD=")).findFirst()
                .orElseThrow(() -> new AssertionError("ctracker.env.example shows CTRACKER_ADMIN_PASSWORD"))
                .substring("#CTRACKER_ADMIN_PASSWORD=".length());
        assertThat(password.length()).as("ctracker.admin.password takes 8+ characters").isGreaterThanOrEqualTo(8);
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).contains("http://127.0.0.1:7070/admin/");
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).as("the real env file stays out of git").contains("ctracker.env");
    }

    private static Map<String, Object> load(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }
}
