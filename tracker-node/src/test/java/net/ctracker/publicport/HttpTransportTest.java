package net.ctracker.publicport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import net.ctracker.announce.TrackerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transport of the public HTTP port ({@code ctracker.http.transport}) serves the same protocol:
 * a connection per request, keep-alive, and a malformed request answered with a failure reason.
 */
class HttpTransportTest {

    private final TrackerService service = TestTrackers.small();

    private PublicHttpServer server(HttpTransport transport) {
        return new PublicHttpServer(new PublicHttpServer.Settings("127.0.0.1", 0, 2, 4096, 4096, Duration.ofSeconds(5), transport), service);
    }

    private static String announce(int port, String connection) {
        return "GET /announce?info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=-XX0001-" + String.format("%012d", port)
                + "&port=" + port + "&left=10&compact=1 HTTP/1.1\r\nHost: t\r\nConnection: " + connection + "\r\n\r\n";
    }

    @ParameterizedTest
    @EnumSource(value = HttpTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void servesTheProtocolOverEachTransport(HttpTransport transport) throws Exception {
        assumeTrue(transport != HttpTransport.IO_URING || IoUring.isAvailable(), "io_uring is not available here");
        assumeTrue(transport != HttpTransport.EPOLL || Epoll.isAvailable(), "epoll is not available here");
        try (PublicHttpServer server = server(transport)) {
            server.start();
            assertThat(server.transport()).isEqualTo(transport);
            assertThat(server.io()).startsWith(transport.name().toLowerCase());
            int port = server.port();

            // one request per connection: the node answers and closes
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(announce(7001, "close").getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(reply).startsWith("HTTP/1.1 200").contains("8:completei0e").contains("10:incompletei1e");
            }
            // keep-alive: two announces on one connection, the second peer is handed the first
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(announce(7002, "keep-alive").getBytes(StandardCharsets.US_ASCII));
                assertThat(readReply(s.getInputStream())).startsWith("HTTP/1.1 200").contains("10:incompletei2e");
                s.getOutputStream().write(announce(7003, "keep-alive").getBytes(StandardCharsets.US_ASCII));
                String second = readReply(s.getInputStream());
                assertThat(second).contains("10:incompletei3e").contains("5:peers12:");
            }
            // a malformed request line gets a bencoded failure, not a stack trace
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(reply).contains("14:failure reason");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void idleConnectionsAreClosedAfterTheIdleTimeout(HttpTransport transport) throws Exception {
        assumeTrue(transport != HttpTransport.IO_URING || IoUring.isAvailable(), "io_uring is not available here");
        assumeTrue(transport != HttpTransport.EPOLL || Epoll.isAvailable(), "epoll is not available here");
        PublicHttpServer.Settings quick = new PublicHttpServer.Settings("127.0.0.1", 0, 2, 4096, 4096, Duration.ofMillis(300), transport);
        try (PublicHttpServer server = new PublicHttpServer(quick, service)) {
            server.start();
            // a keep-alive connection after its reply, and one that sent half a request line
            try (Socket idle = new Socket("127.0.0.1", server.port()); Socket half = new Socket("127.0.0.1", server.port())) {
                idle.getOutputStream().write(announce(7005, "keep-alive").getBytes(StandardCharsets.US_ASCII));
                assertThat(readReply(idle.getInputStream())).startsWith("HTTP/1.1 200");
                half.getOutputStream().write("GET /announce?info_hash=".getBytes(StandardCharsets.US_ASCII));
                // the deadline: a read that blocks 10 s fails the test (SocketTimeoutException)
                idle.setSoTimeout(10_000);
                half.setSoTimeout(10_000);
                assertThat(idle.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
                half.getInputStream().readAllBytes(); // whatever it is told, then the end of the stream
            }
        }
    }

    @Test
    void autoTakesTheBestTransportAvailable() throws Exception {
        HttpTransport expected = IoUring.isAvailable() ? HttpTransport.IO_URING
                : Epoll.isAvailable() ? HttpTransport.EPOLL : HttpTransport.NIO;
        assertThat(HttpTransport.AUTO.resolve()).isEqualTo(expected);
        try (PublicHttpServer server = server(HttpTransport.AUTO)) {
            server.start();
            assertThat(server.transport()).isEqualTo(expected);
        }
    }

    @Test
    void autoFallsBackAndATransportAskedForByNameMustBeThere() {
        Throwable seccomp = new UnsupportedOperationException("io_uring_setup: Operation not permitted");
        Throwable noEpoll = new UnsupportedOperationException("not Linux");
        assertThat(HttpTransport.AUTO.resolve(null, null)).isEqualTo(HttpTransport.IO_URING);
        assertThat(HttpTransport.AUTO.resolve(seccomp, null)).isEqualTo(HttpTransport.EPOLL);
        assertThat(HttpTransport.AUTO.resolve(seccomp, noEpoll)).isEqualTo(HttpTransport.NIO);
        assertThat(HttpTransport.EPOLL.resolve(seccomp, null)).isEqualTo(HttpTransport.EPOLL);
        assertThatThrownBy(() -> HttpTransport.IO_URING.resolve(seccomp, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ctracker.http.transport=io_uring is not available here")
                .hasMessageContaining("Operation not permitted");
        assertThatThrownBy(() -> HttpTransport.EPOLL.resolve(null, noEpoll)).hasMessageContaining("ctracker.http.transport=epoll");
    }

    @Test
    void autoStartsOnEpollWhenIoUringIsOfferedButItsRingsCannotBeMade() throws Exception {
        assumeTrue(IoUring.isAvailable() && Epoll.isAvailable(), "needs both io_uring and epoll here");
        java.util.function.Function<HttpTransport, io.netty.channel.IoHandlerFactory> failingRings = t -> {
            if (t == HttpTransport.IO_URING) {
                throw new IllegalStateException("failed to create io_uring ring fd: Cannot allocate memory");
            }
            return t.ioHandlers();
        };
        PublicHttpServer.Settings auto = new PublicHttpServer.Settings("127.0.0.1", 0, 2, 4096, 4096, Duration.ofSeconds(5), HttpTransport.AUTO);
        try (PublicHttpServer server = new PublicHttpServer(auto, service, null, failingRings)) {
            server.start();
            assertThat(server.transport()).isEqualTo(HttpTransport.EPOLL);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(announce(7004, "close").getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            }
        }
        // asked for by name, io_uring that fails is an error, not a silent change
        PublicHttpServer.Settings named = new PublicHttpServer.Settings("127.0.0.1", 0, 2, 4096, 4096, Duration.ofSeconds(5), HttpTransport.IO_URING);
        try (PublicHttpServer server = new PublicHttpServer(named, service, null, failingRings)) {
            assertThatThrownBy(server::start).hasMessageContaining("Cannot allocate memory");
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void aConnectionWhoseHandlersCannotBeSetUpIsClosed() {
        AnnounceController controller = new AnnounceController(service, ctx -> {
            throw new IllegalStateException("the TLS pair cannot make a handler");
        });
        io.netty.channel.embedded.EmbeddedChannel channel = new io.netty.channel.embedded.EmbeddedChannel(controller);
        assertThat(channel.isOpen()).isFalse();
    }

    /** One HTTP reply with a Content-Length, read without waiting for the connection to close. */
    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int at = headers.toLowerCase().indexOf("content-length:");
        int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim());
        return headers + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
