package net.ctracker.announce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.ctracker.bencode.BencodeReader;
import net.ctracker.bencode.ByteKey;
import net.ctracker.metrics.TrackerMetrics;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmStore;
import org.junit.jupiter.api.Test;

/** The public protocol without the HTTP server: query in, bencoded reply out. */
class TrackerServiceTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SwarmStore store = new SwarmStore(new StoreLimits(Duration.ofMinutes(60), 1000, 1000, 100_000),
            () -> 1_000_000L, new SplittableRandom(3));
    private int status;
    private byte[] body;

    private TrackerService service(List<String> trusted, boolean fullScrape) {
        var reply = new AnnounceResponseWriter.ReplySettings(1800, 300, "node-a".getBytes(StandardCharsets.US_ASCII),
                "be nice".getBytes(StandardCharsets.UTF_8));
        return new TrackerService(store, new TrackerService.Settings(reply, 50, 200, 4, fullScrape,
                TrustedNetworks.parse(trusted)), new TrackerMetrics(registry, store), System::nanoTime);
    }

    private final TrackerService service = service(List.of(), false);

    static String announce(int peer, String extra) {
        return "/announce?info_hash=" + QueryParserTest.HASH + "&peer_id=-XX0001-" + String.format("%012d", peer)
                + "&port=" + (6000 + peer) + "&left=100" + extra;
    }

    @SuppressWarnings("unchecked")
    private Map<ByteKey, Object> get(TrackerService s, String target, String from) throws Exception {
        return get(s, target, from, Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<ByteKey, Object> get(TrackerService s, String target, String from, Map<String, String> headers) throws Exception {
        handle(s, "GET", target, InetAddress.getByName(from), headers);
        assertThat(status).isEqualTo(200);
        return (Map<ByteKey, Object>) BencodeReader.decode(body);
    }

    /** Calls the service and keeps the reply, which a standalone service sends before returning. */
    private void handle(TrackerService s, String method, String target, InetAddress from, Map<String, String> headers) {
        status = -1;
        s.handle(method, target, from, headers::get, (st, b) -> {
            status = st;
            body = b.toByteArray();
        });
        assertThat(status).as("replied before returning").isNotEqualTo(-1);
    }

    private static Object at(Map<ByteKey, Object> d, String key) {
        return d.get(ByteKey.of(key));
    }

    @Test
    void announceRepliesWithCompactPeersIntervalsTrackerIdAndExternalIp() throws Exception {
        get(service, announce(1, ""), "10.0.0.1");
        Map<ByteKey, Object> reply = get(service, announce(2, ""), "10.0.0.2");
        assertThat(at(reply, "interval")).isEqualTo(1800L);
        assertThat(at(reply, "min interval")).isEqualTo(300L);
        assertThat(at(reply, "incomplete")).isEqualTo(2L);
        assertThat(at(reply, "complete")).isEqualTo(0L);
        assertThat((byte[]) at(reply, "external ip")).containsExactly(10, 0, 0, 2);
        assertThat((byte[]) at(reply, "peers")).containsExactly(10, 0, 0, 1, (6001 >> 8), (6001 & 0xff));
        assertThat(reply).doesNotContainKey(ByteKey.of("peers6"));
        assertThat(new String((byte[]) at(reply, "tracker id"), StandardCharsets.US_ASCII)).isEqualTo("node-a");
        assertThat(new String((byte[]) at(reply, "warning message"), StandardCharsets.UTF_8)).isEqualTo("be nice");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dictionaryPeersHonourNoPeerId() throws Exception {
        get(service, announce(1, ""), "10.0.0.1");
        Map<ByteKey, Object> reply = get(service, announce(2, "&compact=0"), "10.0.0.2");
        List<Map<ByteKey, Object>> peers = (List<Map<ByteKey, Object>>) at(reply, "peers");
        assertThat(peers).hasSize(1);
        assertThat(new String((byte[]) at(peers.get(0), "ip"), StandardCharsets.US_ASCII)).isEqualTo("10.0.0.1");
        assertThat(at(peers.get(0), "port")).isEqualTo(6001L);
        assertThat(new String((byte[]) at(peers.get(0), "peer id"), StandardCharsets.US_ASCII)).isEqualTo("-XX0001-000000000001");
        reply = get(service, announce(2, "&compact=0&no_peer_id=1"), "10.0.0.2");
        assertThat(((List<Map<ByteKey, Object>>) at(reply, "peers")).get(0)).doesNotContainKey(ByteKey.of("peer id"));
    }

    @Test
    void numwantIsClampedToTheConfiguredMaximumAndDefaultsWhenAbsent() throws Exception {
        for (int i = 1; i <= 260; i++) {
            get(service, announce(i, ""), "10.0." + (i / 250) + "." + (1 + i % 250));
        }
        Map<ByteKey, Object> asked = get(service, announce(999, "&numwant=1000"), "10.1.0.1");
        assertThat((byte[]) at(asked, "peers")).as("numwant-max 200").hasSize(200 * 6);
        Map<ByteKey, Object> unsaid = get(service, announce(998, ""), "10.1.0.2");
        assertThat((byte[]) at(unsaid, "peers")).as("numwant-default 50").hasSize(50 * 6);
    }

    @Test
    void ipv6RequesterGetsPeers6() throws Exception {
        get(service, announce(1, ""), "2001:db8::1");
        Map<ByteKey, Object> reply = get(service, announce(2, ""), "2001:db8::2");
        byte[] peers6 = (byte[]) at(reply, "peers6");
        assertThat(peers6).hasSize(18);
        assertThat(InetAddress.getByAddress(java.util.Arrays.copyOf(peers6, 16)).getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat((byte[]) at(reply, "peers")).isEmpty();
        assertThat((byte[]) at(reply, "external ip")).hasSize(16);
    }

    @Test
    void badInputIsAFailureReasonAndIsCountedByReason() throws Exception {
        Map<ByteKey, Object> reply = get(service, "/announce?info_hash=abc", "10.0.0.1");
        assertThat(new String((byte[]) at(reply, "failure reason"), StandardCharsets.UTF_8)).contains("info_hash must be 20 bytes");
        assertThat(registry.get("ctracker.request.errors").tag("reason", "invalid_info_hash").counter().count()).isEqualTo(1);
        assertThat(registry.get("ctracker.announces").tag("event", "invalid").tag("outcome", "error").counter().count()).isEqualTo(1);
        reply = get(service, announce(1, "&event=bogus"), "10.0.0.1");
        assertThat(new String((byte[]) at(reply, "failure reason"), StandardCharsets.UTF_8)).contains("unknown event 'bogus'");
        assertThat(store.peerCount()).as("nothing stored for a refused announce").isZero();
    }

    @Test
    void wrongMethodAndUnknownPath() throws Exception {
        handle(service, "GET", "/actuator/health", InetAddress.getLoopbackAddress(), Map.of());
        assertThat(status).isEqualTo(404);
        handle(service, "POST", announce(1, ""), InetAddress.getLoopbackAddress(), Map.of());
        assertThat(status).isEqualTo(200);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("only GET");
    }

    @Test
    @SuppressWarnings("unchecked")
    void scrapeReportsCountsAndEnforcesItsLimits() throws Exception {
        get(service, announce(1, ""), "10.0.0.1");
        get(service, announce(2, "&left=0&event=completed"), "10.0.0.2");
        Map<ByteKey, Object> reply = get(service, "/scrape?info_hash=" + QueryParserTest.HASH + "&info_hash=" + "%22".repeat(20), "10.0.0.9");
        Map<ByteKey, Object> files = (Map<ByteKey, Object>) at(reply, "files");
        assertThat(files).hasSize(2);
        Map<ByteKey, Object> counts = (Map<ByteKey, Object>) files.values().iterator().next();
        assertThat(at(counts, "complete")).isEqualTo(1L);
        assertThat(at(counts, "incomplete")).isEqualTo(1L);
        assertThat(at(counts, "downloaded")).isEqualTo(1L);
        reply = get(service, "/scrape", "10.0.0.9");
        assertThat(new String((byte[]) at(reply, "failure reason"), StandardCharsets.UTF_8)).contains("full scrape is disabled");
        reply = get(service(List.of(), true), "/scrape", "10.0.0.9");
        assertThat((Map<ByteKey, Object>) at(reply, "files")).hasSize(1);
        StringBuilder many = new StringBuilder("/scrape?");
        for (int i = 0; i < 5; i++) {
            many.append("info_hash=").append(String.format("%%%02x", i).repeat(20)).append('&');
        }
        reply = get(service, many.toString(), "10.0.0.9");
        assertThat(new String((byte[]) at(reply, "failure reason"), StandardCharsets.UTF_8)).contains("at most 4");
    }

    @Test
    void forwardedAddressAndIpParameterAreTrustedOnlyFromConfiguredNetworks() throws Exception {
        TrackerService behindProxy = service(List.of("192.168.0.0/16"), false);
        Map<String, String> xff = Map.of("X-Forwarded-For", "203.0.113.9, 192.168.1.1");
        Map<ByteKey, Object> reply = get(behindProxy, announce(1, "&ip=198.51.100.1"), "203.0.113.50", xff);
        assertThat((byte[]) at(reply, "external ip")).as("public client: header and ip= ignored").containsExactly(203, 0, 113, 50);
        reply = get(behindProxy, announce(2, ""), "192.168.1.2", xff);
        assertThat((byte[]) at(reply, "external ip")).as("trusted proxy: right-most untrusted hop").containsExactly(203, 0, 113, 9);
        reply = get(behindProxy, announce(3, "&ip=example.org"), "192.168.1.3");
        assertThat((byte[]) at(reply, "external ip")).as("names are never resolved").containsExactly(192, 168, 1, 3);
        reply = get(behindProxy, announce(4, "&ip=198.51.100.7"), "192.168.1.4");
        assertThat((byte[]) at(reply, "external ip")).containsExactly(198, 51, 100, 7);
    }
}
