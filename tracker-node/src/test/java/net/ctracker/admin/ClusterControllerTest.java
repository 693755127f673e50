package net.ctracker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterMessage.Neighbour;
import net.ctracker.cluster.ClusterView;
import net.ctracker.cluster.ClusterView.NodeState;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.swarm.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** GET /admin/api/cluster and /admin/api/swarms over a given view: the contract's shapes, limits and errors. */
class ClusterControllerTest {

    private static final long T0 = 1_796_000_000_000L;
    private static final NodeHandle SELF = handle(0xaa, "http://10.0.0.1:7070", "eu-west");
    private static final NodeHandle UP = handle(0x11, "http://10.0.0.2:7070", "us-east");
    private static final NodeHandle DOWN = handle(0x22, "http://10.0.0.3:7070", "us-east");
    private static final NodeHandle NEVER = handle(0x33, "http://10.0.0.4:7070", "");

    private final AtomicReference<CompletableFuture<ClusterView>> next = new AtomicReference<>();
    private final AtomicInteger askedLimit = new AtomicInteger(-1);
    private final ObjectMapper json = new ObjectMapper();

    private MockMvc mvc(Duration timeout) {
        ClusterController.Views views = limit -> {
            askedLimit.set(limit);
            return next.get();
        };
        return MockMvcBuilders.standaloneSetup(new ClusterController(views, timeout)).build();
    }

    private MockMvc mvc() {
        return mvc(Duration.ofSeconds(3));
    }

    private static NodeHandle handle(int b, String url, String region) {
        byte[] k = new byte[20];
        Arrays.fill(k, (byte) b);
        return new NodeHandle(NodeKey.of(k), url, region);
    }

    private static InfoHash hash(int i) {
        byte[] b = new byte[20];
        b[18] = (byte) (i >> 8);
        b[19] = (byte) i;
        return InfoHash.of(b);
    }

    private static Description report(List<Neighbour> neighbours, List<HeldList> held) {
        return new Description(1, true, neighbours.size(), 5, List.of(0b11, 0b100), 7, 70, neighbours, held);
    }

    /** This node, one answering node, one that stopped answering, one that never did; 25 swarms. */
    private static ClusterView view() {
        List<HeldList> upHeld = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            upHeld.add(new HeldList(hash(i), true, i, 100, i * 2L));
        }
        Description self = report(List.of(new Neighbour(UP, true, false, 12.345), new Neighbour(DOWN, true, true, -1)),
                List.of(new HeldList(hash(25), false, 25, 100, 50)));
        Description up = report(List.of(new Neighbour(SELF, true, false, 11), new Neighbour(NEVER, false, true, 40)), upHeld);
        Description down = report(List.of(new Neighbour(SELF, true, false, 99)), List.of(new HeldList(hash(99), true, 1000, 1000, 1)));
        return new ClusterView(SELF.key(), T0, 42, true, 20, List.of(
                new NodeState(UP, true, T0, -1, up),
                new NodeState(DOWN, false, T0 - 60_000, T0 - 30_000, down),
                new NodeState(NEVER, false, -1, T0 - 5_000, null),
                new NodeState(SELF, true, T0, -1, self)));
    }

    private JsonNode body(MockMvc mvc, String url, int status) throws Exception {
        String text = mvc.perform(get(url)).andExpect(status().is(status)).andReturn().getResponse().getContentAsString();
        return json.readTree(text);
    }

    @Test
    void theClusterViewListsEveryNodeReachableOrNotWithItsFigures() throws Exception {
        next.set(CompletableFuture.completedFuture(view()));
        JsonNode c = body(mvc(), "/admin/api/cluster", 200);
        assertThat(c.path("self").asString()).isEqualTo(SELF.key().toString());
        assertThat(c.path("gatheredAt").asString()).isEqualTo(java.time.Instant.ofEpochMilli(T0).toString());
        assertThat(c.path("complete").asBoolean()).isTrue();
        assertThat(c.path("nodes")).hasSize(4);
        JsonNode up = c.path("nodes").get(0);
        List<String> fields = new ArrayList<>();
        up.propertyNames().forEach(fields::add);
        assertThat(fields).containsExactly("key", "url", "region", "joined", "reachable", "lastSeen", "unreachableSince",
                "leafSetSize", "routingEntries", "swarms", "peers", "leafSet", "routingRows");
        assertThat(up.path("key").asString()).isEqualTo(UP.key().toString());
        assertThat(up.path("url").asString()).isEqualTo("http://10.0.0.2:7070");
        assertThat(up.path("region").asString()).isEqualTo("us-east");
        assertThat(up.path("joined").asBoolean()).isTrue();
        assertThat(up.path("reachable").asBoolean()).isTrue();
        assertThat(up.path("unreachableSince").isNull()).isTrue();
        assertThat(up.path("leafSetSize").asInt()).isEqualTo(2);
        assertThat(up.path("routingEntries").asInt()).isEqualTo(5);
        assertThat(up.path("swarms").asInt()).isEqualTo(7);
        assertThat(up.path("peers").asLong()).isEqualTo(70);
        assertThat(up.path("leafSet")).extracting(JsonNode::asString).containsExactly(SELF.key().toString());
        assertThat(up.path("routingRows")).extracting(JsonNode::asInt).containsExactly(3, 4);

        JsonNode down = c.path("nodes").get(1);
        assertThat(down.path("reachable").asBoolean()).isFalse();
        assertThat(down.path("lastSeen").asString()).isEqualTo(java.time.Instant.ofEpochMilli(T0 - 60_000).toString());
        assertThat(down.path("unreachableSince").asString()).isEqualTo(java.time.Instant.ofEpochMilli(T0 - 30_000).toString());
        assertThat(down.path("swarms").asInt()).as("its last report").isEqualTo(7);

        JsonNode never = c.path("nodes").get(2);
        assertThat(never.path("reachable").asBoolean()).isFalse();
        assertThat(never.path("lastSeen").isNull()).isTrue();
        assertThat(never.path("joined").isNull()).isTrue();
        assertThat(never.path("region").isNull()).as("no region is known until it answers").isTrue();
        assertThat(never.path("leafSetSize").isNull()).isTrue();
        assertThat(never.path("leafSet")).isEmpty();

        // RTTs measured by the nodes that answered; none from the unreachable one, none unmeasured
        assertThat(c.path("latency")).hasSize(3);
        assertThat(c.path("latency").get(0).path("from").asString()).isEqualTo(UP.key().toString());
        assertThat(c.path("latency").get(0).path("to").asString()).isEqualTo(SELF.key().toString());
        assertThat(c.path("latency").get(0).path("rttMs").asDouble()).isEqualTo(11.0);
        assertThat(c.path("latency").get(2).path("rttMs").asDouble()).isEqualTo(12.35);
        assertThat(askedLimit.get()).isEqualTo(ClusterController.DEFAULT_LIMIT);
    }

    @Test
    void theLargestSwarmsComeWithRootAndHoldersTwentyByDefault() throws Exception {
        next.set(CompletableFuture.completedFuture(view()));
        JsonNode s = body(mvc(), "/admin/api/swarms", 200);
        assertThat(s.path("limit").asInt()).isEqualTo(20);
        assertThat(s.path("swarms")).hasSize(20);
        JsonNode first = s.path("swarms").get(0);
        assertThat(first.path("infoHash").asString()).isEqualTo(hash(25).toHex());
        assertThat(first.path("seeders").asInt()).isEqualTo(25);
        assertThat(first.path("leechers").asInt()).isEqualTo(100);
        assertThat(first.path("downloaded").asLong()).isEqualTo(50);
        assertThat(first.path("peers").asInt()).isEqualTo(125);
        assertThat(first.path("root").path("key").asString()).isEqualTo(UP.key().toString());
        assertThat(first.path("root").path("url").asString()).isEqualTo(UP.address());
        assertThat(first.path("root").path("region").asString()).isEqualTo("us-east");
        assertThat(first.path("holders")).hasSize(2);
        assertThat(first.path("holders").get(0).path("role").asString()).isEqualTo("root");
        assertThat(first.path("holders").get(1).path("role").asString()).isEqualTo("replica");
        assertThat(first.path("holders").get(1).path("key").asString()).isEqualTo(SELF.key().toString());
        assertThat(s.path("swarms").get(19).path("infoHash").asString()).isEqualTo(hash(6).toHex());
        // the stopped node's old report counts for nothing
        assertThat(s.path("swarms").findValuesAsString("infoHash")).doesNotContain(hash(99).toHex());
    }

    @Test
    void aLargerLimitAsksTheNodesForMore() throws Exception {
        next.set(CompletableFuture.completedFuture(view()));
        assertThat(body(mvc(), "/admin/api/swarms?limit=1000", 200).path("swarms")).hasSize(25);
        assertThat(askedLimit.get()).isEqualTo(1000);
        assertThat(body(mvc(), "/admin/api/swarms?limit=3", 200).path("swarms")).hasSize(3);
        assertThat(askedLimit.get()).as("a small limit shares the page's gathering").isEqualTo(20);
    }

    @ParameterizedTest(name = "limit={0}")
    @ValueSource(strings = {"0", "-3", "1001", "99999999999", "abc", "1.5", "", "%20"})
    void badLimitsGetAProblemBody(String limit) throws Exception {
        next.set(CompletableFuture.completedFuture(view()));
        mvc().perform(get("/admin/api/swarms?limit=" + limit)).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("1000")));
        assertThat(askedLimit.get()).as("nothing gathered for a bad request").isEqualTo(-1);
    }

    @Test
    void aNodeStillStartingAnswers503() throws Exception {
        next.set(null);
        for (String url : List.of("/admin/api/cluster", "/admin/api/swarms")) {
            assertThat(body(mvc(), url, 503).path("detail").asString()).contains("still starting");
        }
    }

    @Test
    void aGatheringThatFailsOrTakesTooLongIsSaidSo() throws Exception {
        next.set(CompletableFuture.failedFuture(new IllegalStateException("this node is shutting down")));
        assertThat(body(mvc(), "/admin/api/cluster", 503).path("detail").asString()).contains("shutting down");
        next.set(new CompletableFuture<>());
        assertThat(body(mvc(Duration.ofMillis(100)), "/admin/api/cluster", 504).path("detail").asString())
                .contains("not gathered within 1100 ms");
    }
}
