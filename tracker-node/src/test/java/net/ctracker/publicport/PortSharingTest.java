package net.ctracker.publicport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

import net.ctracker.announce.TrackerService;
import net.ctracker.announce.udp.ConnectionIds;
import net.ctracker.announce.udp.UdpObserver;
import net.ctracker.announce.udp.UdpTrackerProtocol;
import org.junit.jupiter.api.Test;

/**
 * One listening socket per event loop (SO_REUSEPORT) must not let a second server, such as a
 * second node started on the same port by mistake, share the port: it fails as a plain bind did.
 */
class PortSharingTest {

    private final TrackerService service = TestTrackers.small();

    private PublicHttpServer http(int port) {
        return new PublicHttpServer(new PublicHttpServer.Settings("127.0.0.1", port, 2, 4096, 4096, Duration.ofSeconds(5),
                HttpTransport.AUTO), service);
    }

    private UdpTrackerServer udp(int port) {
        UdpTrackerProtocol protocol = new UdpTrackerProtocol(service, new ConnectionIds(() -> 0L, new SplittableRandom(2), 60_000),
                UdpObserver.NONE, 16);
        return new UdpTrackerServer(new UdpTrackerServer.Settings("127.0.0.1", port, 2, 1 << 16), protocol, UdpObserver.NONE);
    }

    @Test
    void aSecondHttpServerOnTheSamePortFailsToStart() throws Exception {
        try (PublicHttpServer first = http(0)) {
            first.start();
            assertThat(first.port()).isPositive();
            try (PublicHttpServer second = http(first.port())) {
                assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class).hasMessageContaining("in use");
            }
        }
    }

    @Test
    void aServerRestartsOnItsPortWhileConnectionsItClosedAreInTimeWait() throws Exception {
        int port;
        try (PublicHttpServer first = http(0)) {
            first.start();
            port = first.port();
            // the server closes a connection after its reply, so the connection's TIME_WAIT is on
            // the server's side of the port, as after any load of one request per connection
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.getOutputStream().write("GET /scrape HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] reply = client.getInputStream().readAllBytes();
                assertThat(new String(reply, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            }
        }
        try (PublicHttpServer again = http(port)) {
            again.start();
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void aSecondUdpServerOnTheSamePortFailsToStart() throws Exception {
        try (UdpTrackerServer first = udp(0)) {
            first.start();
            assertThat(first.port()).isPositive();
            try (UdpTrackerServer second = udp(first.port())) {
                assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class).hasMessageContaining("in use");
            }
        }
    }
}
