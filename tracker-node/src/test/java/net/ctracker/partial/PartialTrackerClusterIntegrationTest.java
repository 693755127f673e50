package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.bencode.BencodeReader;
import net.ctracker.bencode.ByteKey;
import net.ctracker.config.PublicServerLifecycle;
import net.ctracker.support.ClusterSeeds;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Five real nodes on loopback in three regions, one bootstrap: the cluster is one tracker. A peer
 * announced at node 1 is handed to a peer announcing at node 5, a scrape at node 3 counts both, and
 * stopping the swarm's root loses neither. Every client talks to the public HTTP port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartialTrackerClusterIntegrationTest {

    private static final String SECRET = "partial-tracker-cluster-secret";
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<String> internal = new ArrayList<>();
    private final List<Integer> publicPorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final ClusterSeeds seeds = ClusterSeeds.forTest("PartialTrackerClusterIntegrationTest");
    private final byte[] infoHash = new byte[20];

    @BeforeAll
    void startFiveNodes() {
        seeds.random().nextBytes(infoHash);
        System.out.println("PartialTrackerClusterIntegrationTest info_hash " + HexFormat.of().formatHex(infoHash));
        for (int i = 0; i < 5; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0",
                    "--ctracker.cluster-secret=" + SECRET, "--ctracker.region=r" + (i % 3),
                    "--ctracker.overlay.ping-period=1s", "--ctracker.overlay.leaf-exchange-period=2s",
                    "--ctracker.overlay.row-exchange-period=2s", "--ctracker.overlay.join-retry=500ms",
                    "--ctracker.partial.cache-ttl=500ms", "--ctracker.partial.stale-ttl=500ms",
                    "--ctracker.partial.rebalance-delay=200ms", "--spring.main.banner-mode=off", seeds.nodeKeyArgument()));
            if (i > 0) {
                args.add("--ctracker.bootstrap=" + internal.get(0));
            }
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class)
                    .run(args.toArray(String[]::new));
            nodes.add(ctx);
            internal.add("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
            publicPorts.add(ctx.getBean(PublicServerLifecycle.class).port());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> internal.stream().allMatch(this::ready));
        // every node knows every other in its leaf set: routes agree
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String url : internal) {
                assertThat(get(url + "/admin/api/node").path("leafSet").size()).as("leaf set of %s", url).isEqualTo(4);
            }
        });
    }

    @AfterAll
    void stopAll() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    @Order(1)
    void aPeerAnnouncedAtNodeOneIsReturnedToAPeerAnnouncingAtNodeFive() throws Exception {
        Map<ByteKey, Object> first = announce(0, 7001, 1000);
        assertThat(first).containsKey(ByteKey.of("interval"));
        // once the swarm's root holds node 1's peer, node 5's first answer carries it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(swarm(0).path("leechers").asInt()).isEqualTo(1));
        Map<ByteKey, Object> fifth = announce(4, 7005, 1000);
        assertThat(peers(fifth)).containsExactly("127.0.0.1:7001");
        assertThat(fifth.get(ByteKey.of("incomplete"))).as("the swarm's count").isEqualTo(2L);
    }

    @Test
    @Order(2)
    void aScrapeAtNodeThreeCountsBoth() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(scrape(2)).containsExactly(0L, 2L, 0L));
    }

    @Test
    @Order(3)
    void theSwarmViewNamesRootReplicasAndWherePeersAnnounced() throws Exception {
        JsonNode view = swarm(2);
        assertThat(view.path("infoHash").asString()).isEqualTo(HexFormat.of().formatHex(infoHash));
        assertThat(view.path("root").path("url").asString()).isIn(internal);
        assertThat(view.path("seeders").asInt()).isZero();
        assertThat(view.path("leechers").asInt()).isEqualTo(2);
        Set<String> roles = new HashSet<>();
        Set<String> local = new HashSet<>();
        for (JsonNode h : view.path("holders")) {
            roles.add(h.path("role").asString());
            assertThat(h.path("region").asString()).matches("r[0-2]");
            if (h.path("role").asString().equals("local")) {
                local.add(h.path("url").asString());
            }
        }
        assertThat(roles).contains("root", "replica", "local");
        assertThat(local).containsExactlyInAnyOrder(internal.get(0), internal.get(4));

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(internal.get(1) + "/admin/api/swarm?info_hash=xyz"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).path("detail").asString()).contains("40 hex");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(internal.get(1)
                + "/admin/api/swarm?info_hash=" + "00".repeat(20))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    }

    @Test
    @Order(4)
    void stoppingTheSwarmsRootLosesNothing() throws Exception {
        String rootUrl = swarm(2).path("root").path("url").asString();
        int root = internal.indexOf(rootUrl);
        nodes.get(root).close();
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            if (i != root) {
                alive.add(i);
            }
        }
        // the others notice, a replica becomes the root; a newcomer at any live node still finds both peers
        int asker = alive.get(alive.size() - 1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode view = swarm(alive.get(0));
            assertThat(view.path("root").path("url").asString()).isNotEqualTo(rootUrl);
            assertThat(view.path("leechers").asInt()).isEqualTo(2);
            assertThat(scrape(asker)).containsExactly(0L, 2L, 0L);
        });
        Map<ByteKey, Object> newcomer = announce(asker, 7009, 0);
        assertThat(peers(newcomer)).containsExactlyInAnyOrder("127.0.0.1:7001", "127.0.0.1:7005");
        assertThat(newcomer.get(ByteKey.of("complete"))).isEqualTo(1L);
        assertThat(newcomer.get(ByteKey.of("incomplete"))).isEqualTo(2L);
    }

    // ---- clients

    private Map<ByteKey, Object> announce(int node, int port, long left) throws Exception {
        String url = "http://127.0.0.1:" + publicPorts.get(node) + "/announce?info_hash=" + percent(infoHash)
                + "&peer_id=-IT0001-" + String.format("%012d", port) + "&port=" + port + "&uploaded=0&downloaded=0&left="
                + left + "&compact=1&numwant=50";
        return bencode(url);
    }

    private List<Long> scrape(int node) throws Exception {
        Map<ByteKey, Object> reply = bencode("http://127.0.0.1:" + publicPorts.get(node) + "/scrape?info_hash=" + percent(infoHash));
        Map<?, ?> files = (Map<?, ?>) reply.get(ByteKey.of("files"));
        Map<?, ?> s = (Map<?, ?>) files.get(new ByteKey(infoHash));
        return s == null ? List.of(0L, 0L, 0L) : List.of((Long) s.get(ByteKey.of("complete")),
                (Long) s.get(ByteKey.of("incomplete")), (Long) s.get(ByteKey.of("downloaded")));
    }

    @SuppressWarnings("unchecked")
    private Map<ByteKey, Object> bencode(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<ByteKey, Object> reply = (Map<ByteKey, Object>) BencodeReader.decode(r.body());
        assertThat(reply).as("reply %s", new String(r.body(), StandardCharsets.ISO_8859_1))
                .doesNotContainKey(ByteKey.of("failure reason"));
        return reply;
    }

    private static List<String> peers(Map<ByteKey, Object> reply) {
        byte[] compact = (byte[]) reply.get(ByteKey.of("peers"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 6 <= compact.length; i += 6) {
            out.add((compact[i] & 0xff) + "." + (compact[i + 1] & 0xff) + "." + (compact[i + 2] & 0xff) + "."
                    + (compact[i + 3] & 0xff) + ":" + ((compact[i + 4] & 0xff) << 8 | (compact[i + 5] & 0xff)));
        }
        return out;
    }

    private JsonNode swarm(int node) throws Exception {
        return get(internal.get(node) + "/admin/api/swarm?info_hash=" + HexFormat.of().formatHex(infoHash));
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private boolean ready(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String percent(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(x));
        }
        return b.toString();
    }
}
