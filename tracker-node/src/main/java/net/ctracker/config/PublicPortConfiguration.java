package net.ctracker.config;

import java.security.SecureRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.ctracker.announce.AccessListFiles;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.udp.ConnectionIds;
import net.ctracker.announce.udp.UdpTrackerProtocol;
import net.ctracker.metrics.AccessListMetrics;
import net.ctracker.metrics.UdpMetrics;
import net.ctracker.publicport.PublicHttpServer;
import net.ctracker.publicport.TlsFiles;
import net.ctracker.publicport.UdpTrackerServer;
import net.ctracker.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rest of the public port: the UDP tracker ({@code ctracker.udp.*}), HTTPS
 * ({@code ctracker.https.*}) and the info-hash access lists ({@code ctracker.access.*}). Files that
 * are re-read when they change (lists, certificate and key) are looked at once a second.
 */
@Configuration(proxyBeanMethods = false)
public class PublicPortConfiguration {

    /** How often the list, certificate and key files are checked for changes. */
    static final long FILE_CHECK_MILLIS = 1000;
    /** A connection ID is valid for one to two of these windows (BEP 15: at least 1, at most 2 minutes). */
    static final long CONNECTION_ID_WINDOW_MILLIS = 60_000;
    /** UDP answers that may wait on other nodes at once; beyond this new requests are shed. */
    static final int UDP_MAX_PENDING = 4096;
    /** Asked of the kernel for each UDP socket; it caps this at net.core.rmem_max. */
    static final int UDP_RECEIVE_BUFFER = 4 << 20;

    /** Named apart from Spring Boot's own {@code fileWatcher} (SSL bundles). */
    @Bean
    FileWatcher operatorFileWatcher() {
        return new FileWatcher();
    }

    /** The allow/deny lists, when one is configured; their reloads are watched. */
    @Bean
    AccessListsInForce accessLists(TrackerProperties p, TrackerService service, MeterRegistry registry,
                                   FileWatcher fileWatcher) {
        TrackerProperties.Access a = p.access();
        if (a.allowList() == null && a.denyList() == null) {
            return new AccessListsInForce(null);
        }
        AccessListMetrics[] metrics = new AccessListMetrics[1];
        AccessListFiles files = new AccessListFiles(a.allowList(), a.denyList(),
                (kind, ok, size) -> metrics[0].reloaded(kind, ok, size));
        metrics[0] = new AccessListMetrics(registry, files.current().allowSize(), files.current().denySize());
        service.setAccessList(files.current());
        fileWatcher.watch("access lists", FILE_CHECK_MILLIS, () -> {
            if (files.refresh()) {
                service.setAccessList(files.current());
            }
        });
        return new AccessListsInForce(files);
    }

    /** The access list files in force (null files: every info hash is served). */
    public record AccessListsInForce(AccessListFiles files) {
    }

    @Bean
    UdpServerLifecycle udpServer(TrackerProperties p, TrackerService service, MeterRegistry registry, Clock clock,
                                 @Value("${server.port:6969}") int httpPort, @Value("${server.address:}") String address) {
        int port = p.udp().port() != null ? p.udp().port() : httpPort;
        if (port == 0) {
            return new UdpServerLifecycle(null);
        }
        UdpMetrics metrics = new UdpMetrics(registry);
        UdpTrackerProtocol protocol = new UdpTrackerProtocol(service,
                new ConnectionIds(clock, new SecureRandom(), CONNECTION_ID_WINDOW_MILLIS), metrics, UDP_MAX_PENDING);
        metrics.bind(registry, protocol);
        int threads = p.publicEventLoops(Runtime.getRuntime().availableProcessors());
        return new UdpServerLifecycle(new UdpTrackerServer(
                new UdpTrackerServer.Settings(address, port, threads, UDP_RECEIVE_BUFFER), protocol, metrics));
    }

    @Bean
    HttpsServerLifecycle httpsServer(TrackerProperties p, TrackerService service, @Value("${server.address:}") String address,
                                     FileWatcher fileWatcher, MeterRegistry registry) {
        TrackerProperties.Https https = p.https();
        if (!https.enabled()) {
            return new HttpsServerLifecycle(null);
        }
        TlsFiles tls = new TlsFiles(https.certificate(), https.privateKey(), ok -> Counter.builder("ctracker.https.reloads")
                .description("Reloads of the TLS certificate and key after a change, by outcome")
                .tag("outcome", ok ? "ok" : "failed").register(registry).increment());
        fileWatcher.watch("TLS certificate and key", FILE_CHECK_MILLIS, tls::refresh);
        var settings = p.publicServerSettings(address, https.port(), Runtime.getRuntime().availableProcessors());
        return new HttpsServerLifecycle(new PublicHttpServer(settings, service, tls));
    }

    /** Starts the UDP tracker with the context (when enabled) and stops it on shutdown. */
    public static final class UdpServerLifecycle extends PortLifecycle {
        UdpServerLifecycle(UdpTrackerServer server) {
            super(server, "UDP tracker port", "connect, announce and scrape (BEP 15)", "ctracker.udp.port=0");
        }
    }

    /** Starts the HTTPS port with the context (when configured) and stops it on shutdown. */
    public static final class HttpsServerLifecycle extends PortLifecycle {
        HttpsServerLifecycle(PublicHttpServer server) {
            super(server, "HTTPS port", "/announce and /scrape", "no ctracker.https.certificate and private-key");
        }
    }
}
