package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.bencode.BencodeReader;
import net.ctracker.bencode.ByteKey;
import net.ctracker.config.PublicServerLifecycle;
import net.ctracker.support.ClusterSeeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Six real nodes on loopback labelled in three regions (two each); 240 peers of one swarm from
 * random addresses announce at random nodes. A newcomer is handed peers mostly from its own region
 * (a random choice would give a third), and some from elsewhere (no islands).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalityClusterIntegrationTest {

    private static final String SECRET = "locality-cluster-test-secret";
    /** The nodes' {@code ctracker.partial.cache-ttl}: short, so that a sample from before the swarm filled goes stale soon. */
    private static final long CACHE_TTL_MS = 1000;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<String> internal = new ArrayList<>();
    private final List<Integer> publicPorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final ClusterSeeds seeds = ClusterSeeds.forTest("LocalityClusterIntegrationTest");
    private final long seed = seeds.seed();
    private final SplittableRandom random = seeds.random();
    private final byte[] infoHash = new byte[20];
    /** Where each peer (by address) announced: the node's region. */
    private final Map<String, Integer> regionOf = new HashMap<>();

    @BeforeAll
    void startSixNodes() throws Exception {
        random.nextBytes(infoHash);
        for (int i = 0; i < 6; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0",
                    "--ctracker.cluster-secret=" + SECRET, "--ctracker.region=r" + (i / 2),
                    "--ctracker.trusted-proxies=127.0.0.0/8", "--ctracker.udp.port=0",
                    "--ctracker.overlay.ping-period=1s", "--ctracker.overlay.join-retry=500ms",
                    "--ctracker.locality.coordinate-period=1s", "--ctracker.partial.empty-cache-ttl=200ms",
                    "--ctracker.partial.cache-ttl=" + CACHE_TTL_MS + "ms",
                    "--spring.main.banner-mode=off", seeds.nodeKeyArgument()));
            if (i > 0) {
                args.add("--ctracker.bootstrap=" + internal.get(0));
            }
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class)
                    .run(args.toArray(String[]::new));
            nodes.add(ctx);
            internal.add("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
            publicPorts.add(ctx.getBean(PublicServerLifecycle.class).port());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String url : internal) {
                assertThat(get(url + "/admin/api/node").path("leafSet").size()).as("leaf set of %s", url).isEqualTo(5);
            }
        });
        for (int p = 0; p < 240; p++) {
            int node = random.nextInt(6);
            String ip = (1 + random.nextInt(200)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(250));
            if (regionOf.putIfAbsent(ip, node / 2) != null) {
                p--;
                continue;
            }
            announce(node, ip, 1000, 30);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(get(internal.get(5) + "/admin/api/swarm?info_hash=" + HexFormat.of().formatHex(infoHash))
                        .path("leechers").asInt()).isEqualTo(240));
    }

    @AfterAll
    void stopAll() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aNewcomerIsHandedPeersMostlyFromItsOwnRegionAndSomeFromElsewhere() throws Exception {
        for (int node = 0; node < 6; node += 2) {
            int region = node / 2;
            // the node's cached sample of the rest of the swarm may date from while the 240 were
            // announcing (a handful of peers, even none): once it is older than the cache TTL, a
            // newcomer is answered from it and refreshes it in the background
            int n = node;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(swarmAt(n).path("cache").path("ageMs").asLong()).isGreaterThan(CACHE_TTL_MS));
            long announcedAt = System.nanoTime();
            List<String> first = announce(node, newcomer(node, region, 1), 1000, 30);
            assertOwnRegionFirst(first, region);
            awaitSampleSince(node, announcedAt);
            // the second newcomer's answer carries a random share of the whole swarm
            List<String> peers = announce(node, newcomer(node, region, 2), 1000, 30);
            long own = assertOwnRegionFirst(peers, region);
            assertThat(own).as("some from other regions: no islands, among %s (seed %d)", peers, seed).isLessThan(30);
        }
        JsonNode locality = get(internal.get(0) + "/admin/api/locality");
        assertThat(locality.path("ranking").asBoolean()).isTrue();
        assertThat(locality.has("sameRegionShare")).isTrue();
        assertThat(locality.path("medianRttMs").has("handed")).isTrue();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get(internal.get(3) + "/admin/api/node").path("coordinate").path("vector").size())
                        .as("a node's coordinate, from the overlay's RTT samples").isEqualTo(3));
    }

    private JsonNode swarmAt(int node) throws Exception {
        return get(internal.get(node) + "/admin/api/swarm?info_hash=" + HexFormat.of().formatHex(infoHash));
    }

    /** A newcomer at {@code node} (from the 100.64.0.0/10 block no other peer uses), labelled with its region. */
    private String newcomer(int node, int region, int n) {
        String ip = "100." + (64 + node) + ".0." + n;
        regionOf.put(ip, region);
        return ip;
    }

    /** Asserts a full answer, at least two thirds from the requester's region; returns how many were. */
    private long assertOwnRegionFirst(List<String> peers, int region) {
        assertThat(peers).hasSize(30);
        long own = peers.stream().filter(p -> regionOf.get(p) == region).count();
        assertThat(own).as("peers from region r%d among %s (seed %d)", region, peers, seed).isGreaterThanOrEqualTo(20);
        return own;
    }

    /**
     * Waits until the node's cached sample of the rest of the swarm was drawn after {@code sinceNanos}
     * (the refresh a newcomer started) and holds someone: until then the node answers from the old one.
     */
    private void awaitSampleSince(int node, long sinceNanos) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode cache = swarmAt(node).path("cache");
            // measured after the reply, so it bounds the age the node computed (2 ms for rounding)
            long sinceMs = (System.nanoTime() - sinceNanos) / 1_000_000 + 2;
            assertThat(cache.path("ageMs").asLong()).as("age of node %d's cached sample", node).isBetween(0L, sinceMs);
            assertThat(cache.path("peers").asInt()).as("peers in node %d's cached sample", node).isPositive();
        });
    }

    private List<String> announce(int node, String ip, long left, int numwant) throws Exception {
        String url = "http://127.0.0.1:" + publicPorts.get(node) + "/announce?info_hash=" + percent(infoHash)
                + "&peer_id=-IT0002-" + String.format("%012d", Math.abs(ip.hashCode()) % 1_000_000_000_000L)
                + "&port=6881&uploaded=0&downloaded=0&left=" + left + "&compact=1&numwant=" + numwant + "&ip=" + ip;
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<?, ?> reply = (Map<?, ?>) BencodeReader.decode(r.body());
        byte[] compact = (byte[]) reply.get(ByteKey.of("peers"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 6 <= compact.length; i += 6) {
            out.add((compact[i] & 0xff) + "." + (compact[i + 1] & 0xff) + "." + (compact[i + 2] & 0xff) + "." + (compact[i + 3] & 0xff));
        }
        return out;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static String percent(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(x));
        }
        return b.toString();
    }
}
