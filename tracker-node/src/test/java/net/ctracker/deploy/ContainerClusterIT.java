package net.ctracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import net.ctracker.bencode.BencodeReader;
import net.ctracker.bencode.ByteKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Four node containers built from docker/Dockerfile (the packaged jar on the local Debian base
 * image), on host networking, each on its own loopback ports, in three regions, joined through the
 * first. They must form one overlay and agree on the root of random keys, hand a peer announced at
 * one container to a client of another; after one container is
 * killed (no goodbye) the rest must forget it and agree again. Containers count as started only
 * when the image's own health check (readiness: joined) says healthy.
 *
 * <p>Runs in {@code mvn verify} (failsafe), after the jar is packaged. Skips, saying why, only
 * where no Docker engine can start ({@link DockerEngine}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContainerClusterIT {

    private static final String SECRET = "container-test-cluster-secret";
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(160);
    private static final int NODES = 4;

    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final List<Integer> publicPorts = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(20261201);

    @BeforeAll
    void startNodeContainers() throws IOException {
        DockerEngine.require();
        Path root = DockerEngine.repositoryRoot();
        Path jar = root.resolve("tracker-node/target/tracker-node.jar");
        assertThat(jar).as("the packaged jar (mvn verify packages it before this test)").isRegularFile();
        ImageFromDockerfile image = new ImageFromDockerfile("ctracker-node:it", false)
                .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
                .withFileFromPath("docker/healthcheck.sh", root.resolve("docker/healthcheck.sh"))
                .withFileFromPath("tracker-node/target/tracker-node.jar", jar)
                .withDockerfilePath("docker/Dockerfile")
                .withBuildArg("BASE_IMAGE", DockerEngine.BASE_IMAGE);
        for (int i = 0; i < NODES; i++) {
            int publicPort = freePort();
            int internalPort = freePort();
            String url = "http://127.0.0.1:" + internalPort;
            GenericContainer<?> c = new GenericContainer<>(image)
                    .withNetworkMode("host")
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(384L << 20))
                    .withEnv(Map.of(
                            "SERVER_PORT", Integer.toString(publicPort),
                            "CTRACKER_INTERNAL_PORT", Integer.toString(internalPort),
                            "CTRACKER_ADVERTISED_URL", url,
                            "CTRACKER_REGION", "region-" + (i % 3 + 1),
                            "CTRACKER_CLUSTER_SECRET", SECRET,
                            "CTRACKER_OVERLAY_PING_PERIOD", "1s",
                            "CTRACKER_OVERLAY_LEAF_EXCHANGE_PERIOD", "2s",
                            "CTRACKER_OVERLAY_ROW_EXCHANGE_PERIOD", "2s",
                            "CTRACKER_OVERLAY_JOIN_RETRY", "500ms"))
                    .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(120)));
            if (i > 0) {
                c.withEnv("CTRACKER_BOOTSTRAP", urls.get(0));
            }
            containers.add(c);
            publicPorts.add(publicPort);
            urls.add(url);
        }
        containers.get(0).start();
        // the others join through the first, all at once
        containers.subList(1, NODES).parallelStream().forEach(GenericContainer::start);
    }

    @AfterAll
    void stopContainers() {
        containers.forEach(GenericContainer::stop);
    }

    @Test
    @Order(1)
    void theContainersFormOneOverlayAndAgreeOnRoots() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String url : urls) {
                JsonNode node = get(url + "/admin/api/node");
                assertThat(node.path("joined").asBoolean()).as("%s joined", url).isTrue();
                Set<String> leaves = new HashSet<>();
                node.path("leafSet").forEach(e -> leaves.add(e.path("url").asString()));
                assertThat(leaves).as("leaf set of %s", url).containsExactlyInAnyOrderElementsOf(
                        urls.stream().filter(u -> !u.equals(url)).toList());
            }
            assertRoutesAgree(urls);
        });
        JsonNode regions = get(urls.get(1) + "/admin/api/node").path("leafSet");
        Set<String> seen = new HashSet<>();
        regions.forEach(e -> seen.add(e.path("region").asString()));
        assertThat(seen).as("regions come from CTRACKER_REGION").contains("region-1", "region-3");
        // the operator's page comes from the admin-ui jar inside the image's application, and sees every container
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(urls.get(0) + "/admin/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>CTracker overlay</title>");
        assertThat(status(urls.get(0) + "/admin/js/main.js")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get(urls.get(0) + "/admin/api/cluster").path("nodes")).hasSize(NODES)
                        .allSatisfy(n -> assertThat(n.path("reachable").asBoolean()).isTrue()));
    }

    /**
     * Announce at one node, find the peer at another: the containers are one tracker (the partial
     * trackers publish the peer towards its swarm's root, the last node looks it up there).
     */
    @Test
    @Order(2)
    void aPeerAnnouncedAtOneNodeIsReturnedByAnother() {
        byte[] infoHash = new byte[20];
        random.nextBytes(infoHash);
        announce(publicPorts.get(0), infoHash, 40001, 0);
        // once the swarm's root (any of the containers) holds the seeder, the last node's first answer carries it
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(get(urls.get(0) + "/admin/api/swarm?info_hash=" + HexFormat.of().formatHex(infoHash))
                        .path("seeders").asInt()).isEqualTo(1));
        byte[] peers = (byte[]) announce(publicPorts.get(NODES - 1), infoHash, 40002, 1000).get(ByteKey.of("peers"));
        assertThat(HexFormat.of().formatHex(peers)).as("compact peers from the last node")
                .isEqualTo(HexFormat.of().formatHex(new byte[] {127, 0, 0, 1, (byte) (40001 >> 8), (byte) 40001}));
    }

    @Test
    @Order(3)
    void whenAContainerIsKilledTheOthersForgetItAndAgreeAgain() {
        int victim = 2;
        String gone = urls.get(victim);
        // SIGKILL: no goodbye, so the others must notice the missing acks themselves
        containers.get(victim).getDockerClient().killContainerCmd(containers.get(victim).getContainerId()).exec();
        List<String> alive = IntStream.range(0, NODES).filter(i -> i != victim).mapToObj(urls::get).toList();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String url : alive) {
                JsonNode node = get(url + "/admin/api/node");
                Set<String> known = new HashSet<>();
                node.path("leafSet").forEach(e -> known.add(e.path("url").asString()));
                node.path("routingTable").forEach(e -> known.add(e.path("url").asString()));
                assertThat(known).as("tables of %s", url).doesNotContain(gone).containsAll(
                        alive.stream().filter(u -> !u.equals(url)).toList());
            }
            assertRoutesAgree(alive);
        });
        for (String url : alive) {
            assertThat(status(url + "/actuator/health/readiness")).as("%s still ready", url).isEqualTo(200);
        }
        // the operator's view still lists the killed container, as unreachable
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode cluster = get(alive.get(0) + "/admin/api/cluster");
            assertThat(cluster.path("nodes")).hasSize(NODES);
            for (JsonNode n : cluster.path("nodes")) {
                assertThat(n.path("reachable").asBoolean()).as("%s", n.path("url")).isEqualTo(!n.path("url").asString().equals(gone));
            }
        });
    }

    private void assertRoutesAgree(List<String> alive) throws Exception {
        List<BigInteger> keys = new ArrayList<>();
        for (String url : alive) {
            keys.add(new BigInteger(get(url + "/admin/api/node").path("key").asString(), 16));
        }
        for (int k = 0; k < 8; k++) {
            byte[] raw = new byte[20];
            random.nextBytes(raw);
            BigInteger target = new BigInteger(1, raw);
            BigInteger expected = keys.stream().min(Comparator.comparing((BigInteger n) -> ringDistance(n, target))
                    .thenComparing(n -> n)).orElseThrow();
            String hex = HexFormat.of().formatHex(raw);
            Set<String> roots = new HashSet<>();
            for (String url : alive) {
                roots.add(get(url + "/admin/api/route?key=" + hex).path("root").path("key").asString());
            }
            assertThat(roots).as("roots of %s asked at every node", hex).containsExactly(String.format("%040x", expected));
        }
    }

    private Map<?, ?> announce(int port, byte[] infoHash, int peerPort, long left) {
        byte[] peerId = new byte[20];
        random.nextBytes(peerId);
        String query = "info_hash=" + percent(infoHash) + "&peer_id=" + percent(peerId) + "&port=" + peerPort
                + "&uploaded=0&downloaded=0&left=" + left + "&compact=1&numwant=50";
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/announce?" + query))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            Map<?, ?> reply = (Map<?, ?>) BencodeReader.decode(r.body());
            assertThat(reply.containsKey(ByteKey.of("failure reason"))).as("announce failed: %s", reply).isFalse();
            return reply;
        } catch (IOException e) {
            throw new AssertionError("announce to port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String percent(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    private static BigInteger ringDistance(BigInteger a, BigInteger b) {
        BigInteger d = a.subtract(b).abs();
        return d.min(RING.subtract(d));
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
