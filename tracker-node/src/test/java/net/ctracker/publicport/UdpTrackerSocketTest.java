package net.ctracker.publicport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import net.ctracker.config.PublicPortConfiguration.UdpServerLifecycle;
import net.ctracker.config.PublicServerLifecycle;
import net.ctracker.support.PrometheusText;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The UDP tracker of a running node over real sockets, IPv4 and IPv6 loopback. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"server.port=0", "ctracker.internal-port=0"})
class UdpTrackerSocketTest {

    private static final long PROTOCOL_ID = 0x41727101980L;

    @DynamicPropertySource
    static void udpPort(DynamicPropertyRegistry registry) throws IOException {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        registry.add("ctracker.udp.port", () -> port);
    }

    @Autowired
    UdpServerLifecycle udp;

    @Autowired
    PublicServerLifecycle http;

    @LocalServerPort
    int internalPort;

    /** One client socket: request, reply (or none within the timeout). */
    private static final class Client implements AutoCloseable {
        final DatagramSocket socket;
        final InetSocketAddress tracker;

        Client(String host, int port) throws IOException {
            InetAddress address = InetAddress.getByName(host);
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout(2000);
            tracker = new InetSocketAddress(address, port);
        }

        byte[] exchange(byte[] request) throws IOException {
            socket.send(new DatagramPacket(request, request.length, tracker));
            byte[] buf = new byte[2048];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            socket.receive(reply);
            return Arrays.copyOf(buf, reply.getLength());
        }

        /** True when nothing came back within {@code millis} (a bounded wait on the socket, not a sleep). */
        boolean silentAfter(byte[] request, int millis) throws IOException {
            socket.send(new DatagramPacket(request, request.length, tracker));
            socket.setSoTimeout(millis);
            try {
                socket.receive(new DatagramPacket(new byte[2048], 2048));
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout(2000);
            }
        }

        long connect() throws IOException {
            byte[] reply = exchange(ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(0).putInt(42).array());
            ByteBuffer r = ByteBuffer.wrap(reply);
            assertThat(reply).hasSize(16);
            assertThat(r.getInt(0)).isZero();
            assertThat(r.getInt(4)).isEqualTo(42);
            return r.getLong(8);
        }

        byte[] announce(long id, byte[] hash, int peer, long left) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(98).putLong(id).putInt(1).putInt(7).put(hash)
                    .put(String.format("-UT0001-%012d", peer).getBytes(StandardCharsets.US_ASCII))
                    .putLong(0).putLong(left).putLong(0).putInt(2).putInt(0).putInt(0).putInt(-1)
                    .putShort((short) (7000 + peer));
            return exchange(b.array());
        }

        int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static byte[] hash(int seed) {
        byte[] h = new byte[20];
        Arrays.fill(h, (byte) seed);
        return h;
    }

    private PrometheusText metrics() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + internalPort + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        return PrometheusText.parse(r.body());
    }

    @Test
    void udpIsOnTheConfiguredPortBesideHttp() {
        assertThat(udp.port()).isPositive();
        assertThat(http.port()).isNotEqualTo(0);
    }

    @Test
    void announceAndScrapeOverIpv4() throws Exception {
        byte[] hash = hash(0x31);
        try (Client a = new Client("127.0.0.1", udp.port()); Client b = new Client("127.0.0.1", udp.port())) {
            a.announce(a.connect(), hash, 1, 100);
            ByteBuffer reply = ByteBuffer.wrap(b.announce(b.connect(), hash, 2, 0));
            assertThat(reply.getInt(0)).isEqualTo(1);
            assertThat(reply.getInt(12)).as("leechers").isEqualTo(1);
            assertThat(reply.getInt(16)).as("seeders").isEqualTo(1);
            assertThat(reply.limit()).isEqualTo(26);
            assertThat(Arrays.copyOfRange(reply.array(), 20, 26)).containsExactly(127, 0, 0, 1, 7001 >> 8, 7001 & 0xff);

            long id = b.connect();
            byte[] scrape = ByteBuffer.allocate(36).putLong(id).putInt(2).putInt(9).put(hash).array();
            ByteBuffer counts = ByteBuffer.wrap(b.exchange(scrape));
            assertThat(new int[] {counts.getInt(0), counts.getInt(4), counts.getInt(8), counts.getInt(12), counts.getInt(16)})
                    .as("scrape, tid, seeders, completed, leechers").containsExactly(2, 9, 1, 0, 1);
        }
    }

    @Test
    void announceOverIpv6GetsEighteenBytePeers() throws Exception {
        Assumptions.assumeTrue(NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .anyMatch(x -> x instanceof Inet6Address && x.isLoopbackAddress()), "no ::1 on this host");
        byte[] hash = hash(0x32);
        try (Client a = new Client("::1", udp.port()); Client b = new Client("::1", udp.port())) {
            a.announce(a.connect(), hash, 1, 100);
            byte[] reply = b.announce(b.connect(), hash, 2, 100);
            assertThat(reply).hasSize(20 + 18);
            assertThat(InetAddress.getByAddress(Arrays.copyOfRange(reply, 20, 36)).isLoopbackAddress()).isTrue();
            assertThat((reply[36] & 0xff) << 8 | (reply[37] & 0xff)).isEqualTo(7001);
        }
    }

    @Test
    void httpAndUdpShareOneStore() throws Exception {
        String hex = "%33".repeat(20);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
                + "/announce?info_hash=" + hex + "&peer_id=-HT0001-000000000001&port=6999&left=5")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        try (Client c = new Client("127.0.0.1", udp.port())) {
            byte[] reply = c.announce(c.connect(), hash(0x33), 5, 100);
            assertThat(Arrays.copyOfRange(reply, 20, reply.length)).as("the HTTP peer").containsExactly(127, 0, 0, 1, 6999 >> 8, 6999 & 0xff);
        }
    }

    @Test
    void malformedAndUnprovenDatagramsAreDroppedAndCounted() throws Exception {
        PrometheusText before = metrics();
        try (Client c = new Client("127.0.0.1", udp.port())) {
            assertThat(c.silentAfter(new byte[10], 300)).as("10 bytes").isTrue();
            byte[] announce = ByteBuffer.allocate(98).putLong(0x1234L).putInt(1).putInt(1).array();
            assertThat(c.silentAfter(announce, 300)).as("announce without a valid connection ID").isTrue();
            long id = c.connect();
            byte[] unknown = ByteBuffer.allocate(16).putLong(id).putInt(8).putInt(5).array();
            ByteBuffer error = ByteBuffer.wrap(c.exchange(unknown));
            assertThat(error.getInt(0)).as("an error, the ID was valid").isEqualTo(3);
            assertThat(new String(error.array(), 8, error.limit() - 8, StandardCharsets.UTF_8)).contains("unknown action 8");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PrometheusText after = metrics();
            for (String sample : new String[] {
                    "ctracker_udp_malformed_total{outcome=\"dropped\",reason=\"too_short\"}",
                    "ctracker_udp_malformed_total{outcome=\"dropped\",reason=\"bad_connection_id\"}",
                    "ctracker_udp_malformed_total{outcome=\"answered\",reason=\"unknown_action\"}"}) {
                assertThat(after.value(sample) - before.value(sample)).as(sample).isEqualTo(1.0);
            }
            String connects = "ctracker_udp_requests_total{outcome=\"ok\",type=\"connect\"}";
            assertThat(after.value(connects) - before.value(connects)).isEqualTo(1.0);
        });
    }
}
