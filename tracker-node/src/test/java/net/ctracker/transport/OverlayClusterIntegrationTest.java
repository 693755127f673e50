package net.ctracker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import net.ctracker.TrackerNodeApplication;
import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.support.ClusterSeeds;
import net.ctracker.support.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Five real nodes on loopback, each with its own HTTP ports, joining through one bootstrap node.
 * They must agree on the root of random keys (the numerically closest node on the ring), and
 * repair after one of them stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayClusterIntegrationTest {

    private static final String SECRET = "integration-test-cluster-secret";
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(160);

    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final ClusterSeeds seeds = ClusterSeeds.forTest(getClass().getSimpleName());
    private final java.util.SplittableRandom random = seeds.random();

    @BeforeAll
    void startFiveNodes() {
        for (int i = 0; i < 5; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0", "--ctracker.internal-port=0", "--ctracker.cluster-secret=" + SECRET,
                    "--ctracker.region=r" + (i % 3), "--ctracker.overlay.ping-period=1s",
                    "--ctracker.overlay.leaf-exchange-period=2s", "--ctracker.overlay.row-exchange-period=2s",
                    "--ctracker.overlay.join-retry=500ms", "--spring.main.banner-mode=off", seeds.nodeKeyArgument()));
            if (i > 0) {
                args.add("--ctracker.bootstrap=" + urls.get(0));
            }
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class)
                    .run(args.toArray(String[]::new));
            nodes.add(ctx);
            urls.add("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> urls.stream().allMatch(this::ready));
    }

    @AfterAll
    void stopAll() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    @Order(1)
    void allNodesAgreeOnTheTrueRootOfRandomKeys() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertRoutesAgree(urls));
    }

    @Test
    @Order(2)
    void prometheusShowsOverlayMessagesTablesAndHops() throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            PrometheusText metrics = PrometheusText.parse(http.send(HttpRequest.newBuilder(
                    URI.create(urls.get(0) + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(metrics.value("ctracker_overlay_joined")).isEqualTo(1.0);
            assertThat(metrics.value("ctracker_overlay_leafset_size")).isGreaterThanOrEqualTo(4.0);
            assertThat(metrics.value("ctracker_overlay_routing_entries")).isPositive();
            assertThat(metrics.value("ctracker_overlay_messages_total{outcome=\"received\",type=\"join\"}"))
                    .as("the bootstrap node saw the four joins").isGreaterThanOrEqualTo(4.0);
            assertThat(metrics.value("ctracker_overlay_messages_total{outcome=\"acknowledged\",type=\"join_ack\"}"))
                    .isGreaterThanOrEqualTo(1.0);
            double deliveries = 0;
            for (String url : urls) {
                deliveries += PrometheusText.parse(http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).named("ctracker_overlay_route_hops_total")
                        .values().stream().mapToDouble(Double::doubleValue).sum();
            }
            assertThat(deliveries).as("lookups delivered at their roots, counted by hops").isGreaterThanOrEqualTo(10.0);
            // buckets exist from registration: only a count shows that round trips were measured
            assertThat(metrics.value("ctracker_overlay_rtt_seconds_count{type=\"ping\"}")
                    + metrics.value("ctracker_overlay_rtt_seconds_count{type=\"leaf_exchange\"}")).isPositive();
            // health and the admin API count the same leaf-set members (each once)
            JsonNode health = json.readTree(http.send(HttpRequest.newBuilder(URI.create(urls.get(0) + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.path("components").path("overlay").path("details").path("leafSet").asInt())
                    .isEqualTo(get(urls.get(0) + "/admin/api/node").path("leafSet").size())
                    .isEqualTo(metrics.value("ctracker_overlay_leafset_size").intValue());
        });
    }

    @Test
    @Order(3)
    void unsignedOrForeignMessagesAreRefusedAndChangeNothing() throws Exception {
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(urls.get(1) + OverlayHeaders.PATH))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        MessageAuthenticator foreign = new MessageAuthenticator("some-other-clusters-secret".getBytes(), System::currentTimeMillis,
                Duration.ofSeconds(30), 10);
        // a well-formed goodbye in the name of a leaf of node 1: accepted, it would drop that leaf
        String victim = urls.get(2);
        assertThat(leafUrls(urls.get(1))).contains(victim);
        NodeHandle victimHandle = new NodeHandle(NodeKey.parse(get(victim + "/admin/api/node").path("key").asString()), victim, "r2");
        byte[] goodbye = MessageCodec.encode(new Envelope(victimHandle, new Message.Update(false)));
        MessageAuthenticator.Signature s = foreign.sign(goodbye);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(urls.get(1) + OverlayHeaders.PATH))
                .header(OverlayHeaders.TIMESTAMP, Long.toString(s.timestampMillis()))
                .header(OverlayHeaders.SIGNATURE, s.mac())
                .POST(HttpRequest.BodyPublishers.ofByteArray(goodbye)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(leafUrls(urls.get(1))).as("the forged goodbye changed nothing").contains(victim);

        byte[] body = {1, 2, 3};

        MessageAuthenticator member = new MessageAuthenticator(SECRET.getBytes(), System::currentTimeMillis,
                Duration.ofSeconds(30), 10);
        MessageAuthenticator.Signature signed = member.sign(body);
        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(urls.get(1) + OverlayHeaders.PATH))
                .header(OverlayHeaders.TIMESTAMP, Long.toString(signed.timestampMillis()))
                .header(OverlayHeaders.SIGNATURE, signed.mac())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).as("signed but malformed: a clear 400").isEqualTo(400);
        assertThat(json.readTree(garbage.body()).path("detail").asString()).isNotBlank();
        HttpResponse<String> replayed = http.send(HttpRequest.newBuilder(URI.create(urls.get(1) + OverlayHeaders.PATH))
                .header(OverlayHeaders.TIMESTAMP, Long.toString(signed.timestampMillis()))
                .header(OverlayHeaders.SIGNATURE, signed.mac())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).as("the same signed request again is a replay").isEqualTo(401);
        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create(urls.get(1) + OverlayHeaders.PATH))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200 * 1024])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    @Order(4)
    void adminApiRejectsBadKeysWithAProblemBody() throws Exception {
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(urls.get(0) + "/admin/api/route?key=xyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).path("detail").asString()).contains("40 hex digits");
    }

    @Test
    @Order(5)
    void whenOneNodeStopsTheOthersForgetItAndStillAgree() throws Exception {
        String gone = urls.get(3);
        nodes.get(3).close();
        List<String> alive = urls.stream().filter(u -> !u.equals(gone)).toList();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String url : alive) {
                JsonNode node = get(url + "/admin/api/node");
                Set<String> known = new java.util.HashSet<>();
                node.path("leafSet").forEach(e -> known.add(e.path("url").asString()));
                node.path("routingTable").forEach(e -> known.add(e.path("url").asString()));
                assertThat(known).as("tables of %s", url).doesNotContain(gone);
            }
            assertRoutesAgree(alive);
        });
    }

    private void assertRoutesAgree(List<String> alive) throws Exception {
        List<BigInteger> keys = new ArrayList<>();
        for (String url : alive) {
            JsonNode node = get(url + "/admin/api/node");
            assertThat(node.path("joined").asBoolean()).isTrue();
            keys.add(new BigInteger(node.path("key").asString(), 16));
        }
        for (int k = 0; k < 10; k++) {
            byte[] raw = new byte[20];
            random.nextBytes(raw);
            BigInteger target = new BigInteger(1, raw);
            BigInteger expected = keys.stream().min(Comparator.comparing((BigInteger n) -> ringDistance(n, target))
                    .thenComparing(n -> n)).orElseThrow();
            String hex = HexFormat.of().formatHex(raw);
            Set<String> roots = new java.util.HashSet<>();
            for (String url : alive) {
                JsonNode route = get(url + "/admin/api/route?key=" + hex);
                roots.add(route.path("root").path("key").asString());
                assertThat(route.path("hops").asInt()).isBetween(0, 4);
            }
            assertThat(roots).as("roots of %s (cluster seed %d)", hex, seeds.seed()).containsExactly(String.format("%040x", expected));
        }
    }

    private static BigInteger ringDistance(BigInteger a, BigInteger b) {
        BigInteger d = a.subtract(b).abs();
        return d.min(RING.subtract(d));
    }

    private Set<String> leafUrls(String url) throws Exception {
        Set<String> out = new java.util.HashSet<>();
        get(url + "/admin/api/node").path("leafSet").forEach(e -> out.add(e.path("url").asString()));
        return out;
    }

    private boolean ready(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }
}
