package net.ctracker.announce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import net.ctracker.bencode.BencodeReader;
import net.ctracker.bencode.ByteKey;
import net.ctracker.config.PublicServerLifecycle;
import net.ctracker.support.PrometheusText;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The running node over real sockets: public port for announce/scrape only, actuator inside. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"server.port=0", "ctracker.internal-port=0", "ctracker.http.max-request-line=1KB"})
class PublicPortIntegrationTest {

    @Autowired
    PublicServerLifecycle publicServer;

    @LocalServerPort
    int internalPort;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String host, int port, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + target)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @SuppressWarnings("unchecked")
    private static Map<ByteKey, Object> dict(byte[] body) {
        return (Map<ByteKey, Object>) BencodeReader.decode(body);
    }

    private static String announce(String hash, int peer, String extra) {
        return "/announce?info_hash=" + hash + "&peer_id=-IT0001-" + String.format("%012d", peer)
                + "&port=" + (7000 + peer) + "&left=10" + extra;
    }

    @Test
    void ipv6AnnounceOverLoopbackGetsPeers6() throws Exception {
        Assumptions.assumeTrue(NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress()), "no ::1 on this host");
        String hash = "%66".repeat(20);
        assertThat(get("[::1]", publicServer.port(), announce(hash, 1, "&event=started")).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> second = get("[::1]", publicServer.port(), announce(hash, 2, "&event=started"));
        Map<ByteKey, Object> reply = dict(second.body());
        byte[] peers6 = (byte[]) reply.get(ByteKey.of("peers6"));
        assertThat(peers6).as("one IPv6 peer, 18 bytes").hasSize(18);
        assertThat(InetAddress.getByAddress(java.util.Arrays.copyOf(peers6, 16)).isLoopbackAddress()).isTrue();
        assertThat(((peers6[16] & 0xff) << 8) | (peers6[17] & 0xff)).isEqualTo(7001);
        assertThat((byte[]) reply.get(ByteKey.of("external ip"))).hasSize(16);
    }

    @Test
    void announceAndScrapeOverIpv4WithKeepAlive() throws Exception {
        String hash = "%77".repeat(20);
        get("127.0.0.1", publicServer.port(), announce(hash, 1, "&event=started"));
        get("127.0.0.1", publicServer.port(), announce(hash, 2, "&event=completed&left=0"));
        Map<ByteKey, Object> reply = dict(get("127.0.0.1", publicServer.port(), announce(hash, 3, "")).body());
        assertThat((byte[]) reply.get(ByteKey.of("peers"))).hasSize(12);
        @SuppressWarnings("unchecked")
        Map<ByteKey, Object> files = (Map<ByteKey, Object>) dict(get("127.0.0.1", publicServer.port(),
                "/scrape?info_hash=" + hash).body()).get(ByteKey.of("files"));
        @SuppressWarnings("unchecked")
        Map<ByteKey, Object> counts = (Map<ByteKey, Object>) files.values().iterator().next();
        assertThat(counts.get(ByteKey.of("complete"))).isEqualTo(1L);
        assertThat(counts.get(ByteKey.of("incomplete"))).isEqualTo(2L);
        assertThat(counts.get(ByteKey.of("downloaded"))).isEqualTo(1L);
    }

    @Test
    void publicPortServesNothingButAnnounceAndScrape() throws Exception {
        assertThat(get("127.0.0.1", publicServer.port(), "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get("127.0.0.1", publicServer.port(), "/admin/api/node").statusCode()).isEqualTo(404);
        assertThat(get("127.0.0.1", publicServer.port(), "/").statusCode()).isEqualTo(404);
        assertThat(get("127.0.0.1", internalPort, "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("127.0.0.1", internalPort, "/actuator/env").statusCode()).as("only health, info, prometheus").isEqualTo(404);
        assertThat(get("127.0.0.1", internalPort, "/announce").statusCode()).isEqualTo(404);
    }

    @Test
    void oversizedRequestLineGetsAFailureReasonNotAnError() throws Exception {
        String target = announce("%55".repeat(20), 9, "&pad=" + "x".repeat(2000));
        try (Socket s = new Socket("127.0.0.1", publicServer.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").contains("failure reason").contains("too long");
        }
    }

    @Test
    void garbageOnTheWireIsRefusedPolitely() throws Exception {
        try (Socket s = new Socket("127.0.0.1", publicServer.port())) {
            s.getOutputStream().write("\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").contains("failure reason")
                    .doesNotContain("Exception").doesNotContain("at net.");
        }
    }

    @Test
    void prometheusCountsAnnouncesByEventAndOutcomeWithoutHighCardinalityLabels() throws Exception {
        String hash = "%88".repeat(20);
        PrometheusText before = PrometheusText.parse(new String(get("127.0.0.1", internalPort, "/actuator/prometheus").body(), StandardCharsets.UTF_8));
        get("127.0.0.1", publicServer.port(), announce(hash, 1, "&event=started"));
        get("127.0.0.1", publicServer.port(), announce(hash, 2, "&event=started"));
        get("127.0.0.1", publicServer.port(), "/announce?info_hash=short");
        PrometheusText after = PrometheusText.parse(new String(get("127.0.0.1", internalPort, "/actuator/prometheus").body(), StandardCharsets.UTF_8));
        String started = "ctracker_announces_total{event=\"started\",outcome=\"ok\"}";
        String invalid = "ctracker_request_errors_total{reason=\"invalid_info_hash\"}";
        assertThat(after.value(started) - before.value(started)).isEqualTo(2.0);
        assertThat(after.value(invalid) - before.value(invalid)).isEqualTo(1.0);
        assertThat(after.value("ctracker_swarms")).isPositive();
        assertThat(after.named("ctracker_request_latency_seconds_bucket")).isNotEmpty();
        java.util.Set<String> labels = new java.util.TreeSet<>();
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("[{,]([a-z_]+)=\"");
        after.samples().keySet().stream().filter(k -> k.startsWith("ctracker")).forEach(k -> {
            java.util.regex.Matcher m = label.matcher(k);
            while (m.find()) {
                labels.add(m.group(1));
            }
        });
        assertThat(labels).as("closed-set labels only").isSubsetOf("event", "outcome", "reason", "endpoint", "kind", "type", "hops", "role", "choice", "le");
    }
}
