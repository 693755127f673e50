package net.ctracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.config.PublicServerLifecycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard (helm/ctracker/dashboards/ctracker.json, the one file that compose and the
 * chart both use) against a real Prometheus (Debian's package) scraping two real nodes in two
 * regions that serve announces, scrapes, bad requests and overlay lookups: every query of every
 * panel must return a series with a number in it, so no panel is empty or names a metric that the
 * nodes do not export. A new panel is checked by this test as soon as it is in the file.
 *
 * <p>Prometheus missing fails the test when {@code CI=true} and skips it elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardQueriesTest {

    private static final Path DASHBOARD = DockerEngine.repositoryRoot().resolve("helm/ctracker/dashboards/ctracker.json");
    private static final byte[] SHARED_SWARM = "dashboard-test-swarm".getBytes(StandardCharsets.US_ASCII);

    /** What Grafana puts in for its variables: every region, and a rate window of several scrapes. */
    private static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "15s", "$region", ".*");

    @TempDir
    static Path dir;

    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<String> internalUrls = new ArrayList<>();
    private final List<Integer> publicPorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(20261201);
    private Process prometheus;
    private String prometheusUrl;

    @BeforeAll
    void startNodesAndPrometheus() throws Exception {
        Path binary = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(binary)) {
            String message = "Prometheus is not installed (apt-get install -y prometheus)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        for (int i = 0; i < 2; i++) {
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                    "--ctracker.internal-port=0", "--ctracker.cluster-secret=dashboard-test-cluster-secret",
                    "--ctracker.region=region-" + (char) ('a' + i), "--ctracker.overlay.ping-period=1s",
                    "--ctracker.overlay.join-retry=500ms"));
            if (i > 0) {
                args.add("--ctracker.bootstrap=" + internalUrls.get(0));
            }
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(args.toArray(String[]::new));
            nodes.add(ctx);
            internalUrls.add("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
            publicPorts.add(ctx.getBean(PublicServerLifecycle.class).port());
        }
        int port = freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        // the region label that Prometheus attaches, as the compose file and the ServiceMonitor do
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < internalUrls.size(); i++) {
            targets.append("\n      - targets: ['").append(internalUrls.get(i).substring("http://".length()))
                    .append("']\n        labels: {region: region-").append((char) ('a' + i)).append("}");
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: ctracker
                    metrics_path: /actuator/prometheus
                    static_configs:%s
                """.formatted(targets));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("both nodes joined and scraped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(query("sum(up{job=\"ctracker\"}) + sum(ctracker_overlay_joined)"))
                        .singleElement().satisfies(s -> assertThat(value(s)).isEqualTo(4.0)));
    }

    @AfterAll
    void stopAll() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void everyPanelQueryReturnsASeriesFromRealNodes() throws Exception {
        Map<String, String> queries = panelQueries();
        assertThat(queries).as("the dashboard has panels with queries").hasSizeGreaterThan(10);
        await("every panel shows data").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            traffic();
            List<String> empty = new ArrayList<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                List<JsonNode> series = query(q.getValue());
                if (series.stream().noneMatch(s -> Double.isFinite(value(s)))) {
                    empty.add(q.getKey() + ": " + q.getValue() + " -> " + series);
                }
            }
            assertThat(empty).as("panels whose query returns no series with a number").isEmpty();
        });
    }

    @Test
    void theRegionVariableListsEveryRegion() throws Exception {
        JsonNode variable = null;
        for (JsonNode v : json.readTree(Files.readString(DASHBOARD)).path("templating").path("list")) {
            if (v.path("name").asString().equals("region")) {
                variable = v;
            }
        }
        assertThat(variable).as("a region variable").isNotNull();
        String definition = variable.path("definition").asString();
        assertThat(definition).matches("label_values\\((\\w+), region\\)");
        String metric = definition.substring("label_values(".length(), definition.indexOf(','));
        JsonNode values = get(prometheusUrl + "/api/v1/label/region/values?match[]=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        Set<String> regions = new HashSet<>();
        values.path("data").forEach(v -> regions.add(v.asString()));
        assertThat(regions).containsExactlyInAnyOrder("region-a", "region-b");
    }

    @Test
    void panelsHaveUniqueIdsTheDatasourceVariableAndDoNotOverlap() throws Exception {
        JsonNode dashboard = json.readTree(Files.readString(DASHBOARD));
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : allPanels(dashboard)) {
            assertThat(ids.add(p.path("id").asInt())).as("unique id %s", p.path("id")).isTrue();
            JsonNode g = p.path("gridPos");
            int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertThat(box[0] + box[2]).as("%s fits 24 columns", p.path("title")).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                assertThat(overlap).as("%s overlaps another panel", p.path("title")).isFalse();
            }
            boxes.add(box);
            if (!p.path("type").asString().equals("row")) {
                assertThat(p.path("datasource").path("uid").asString()).as("%s uses the datasource variable", p.path("title"))
                        .isEqualTo("${datasource}");
                assertThat(p.path("description").asString()).as("%s says what it shows", p.path("title")).isNotBlank();
            }
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    /** Panel title and target refId to the query with Grafana's variables filled in. */
    private Map<String, String> panelQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : allPanels(json.readTree(Files.readString(DASHBOARD)))) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asString();
                for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
                    expr = expr.replace(v.getKey(), v.getValue());
                }
                assertThat(expr).as("%s uses only the variables %s", p.path("title"), VARIABLES.keySet()).doesNotContain("$");
                out.put(p.path("title").asString() + " [" + t.path("refId").asString() + "]", expr);
            }
        }
        return out;
    }

    private static List<JsonNode> allPanels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add); // panels inside a collapsed row
        }
        return out;
    }

    /** A little of everything the dashboard shows: announces, scrapes, a bad request, lookups. */
    private void traffic() throws Exception {
        // one swarm that grows at both nodes: its answers are ranked and measured (locality panels)
        for (int port : publicPorts) {
            byte[] peerId = new byte[20];
            random.nextBytes(peerId);
            send("http://127.0.0.1:" + port + "/announce?info_hash=" + percent(SHARED_SWARM) + "&peer_id=" + percent(peerId)
                    + "&port=" + (40000 + random.nextInt(20000)) + "&uploaded=0&downloaded=0&left=1&event=started");
        }
        for (int port : publicPorts) {
            byte[] infoHash = new byte[20];
            random.nextBytes(infoHash);
            String hash = percent(infoHash);
            send("http://127.0.0.1:" + port + "/announce?info_hash=" + hash + "&peer_id=" + percent(infoHash)
                    + "&port=" + (20000 + random.nextInt(20000)) + "&uploaded=0&downloaded=0&left=" + random.nextInt(2) + "&event=started");
            send("http://127.0.0.1:" + port + "/scrape?info_hash=" + hash);
            send("http://127.0.0.1:" + port + "/announce?port=1");
        }
        byte[] key = new byte[20];
        random.nextBytes(key);
        send(internalUrls.get(random.nextInt(internalUrls.size())) + "/admin/api/route?key=" + java.util.HexFormat.of().formatHex(key));
    }

    private void send(String url) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private List<JsonNode> query(String promql) throws Exception {
        JsonNode r = get(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(r.path("status").asString()).as("Prometheus accepts %s: %s", promql, r).isEqualTo("success");
        List<JsonNode> out = new ArrayList<>();
        r.path("data").path("result").forEach(out::add);
        return out;
    }

    private static double value(JsonNode series) {
        return Double.parseDouble(series.path("value").get(1).asString());
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    private static String percent(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
