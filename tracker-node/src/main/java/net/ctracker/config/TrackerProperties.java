package net.ctracker.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.TrustedNetworks;
import net.ctracker.publicport.HttpTransport;
import net.ctracker.publicport.PublicHttpServer;
import net.ctracker.swarm.StoreLimits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import static net.ctracker.config.PropertyChecks.atLeast;
import static net.ctracker.config.PropertyChecks.inRange;
import static net.ctracker.config.PropertyChecks.require;
import static net.ctracker.config.PropertyChecks.set;

/**
 * Every {@code ctracker.*} setting of the tracker, typed and validated in one place: a bad value
 * stops start-up with a message naming the property as it is written ({@code numwant-max}). The
 * public port is Spring's own {@code server.port}.
 *
 * @param internalAddress bind address of the internal port (actuator, overlay messages, admin API);
 *                        empty: every interface
 */
@ConfigurationProperties("ctracker")
public record TrackerProperties(
        @DefaultValue("7070") int internalPort,
        String internalAddress,
        @DefaultValue Announce announce,
        @DefaultValue Store store,
        @DefaultValue Scrape scrape,
        @DefaultValue Http http,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue Udp udp,
        @DefaultValue Access access,
        @DefaultValue Https https) {

    public TrackerProperties {
        inRange("ctracker.internal-port", internalPort, 0, 65535);
        internalAddress = internalAddress == null || internalAddress.isBlank() ? null : internalAddress.trim();
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** The announce reply: how often clients come back and how many peers they get. */
    public record Announce(
            @DefaultValue("30m") Duration interval,
            @DefaultValue("5m") Duration minInterval,
            @DefaultValue("50") int numwantDefault,
            @DefaultValue("200") int numwantMax,
            String trackerId,
            String warningMessage) {

        public Announce {
            set("ctracker.announce.interval", interval);
            set("ctracker.announce.min-interval", minInterval);
            atLeast("ctracker.announce.numwant-default", numwantDefault, 0);
            inRange("ctracker.announce.numwant-max", numwantMax, 1, 1000);
            if (interval.toSeconds() < 1) {
                throw new IllegalArgumentException("ctracker.announce.interval must be at least 1s");
            }
            if (minInterval.isNegative() || minInterval.compareTo(interval) > 0) {
                throw new IllegalArgumentException("ctracker.announce.min-interval must be between 0 and ctracker.announce.interval");
            }
            if (numwantDefault > numwantMax) {
                throw new IllegalArgumentException("ctracker.announce.numwant-default must not exceed ctracker.announce.numwant-max");
            }
        }
    }

    /** Peer records: lifetime and the memory caps. An unset peer TTL is twice the interval. */
    public record Store(
            Duration peerTtl,
            @DefaultValue("1000000") int maxSwarms,
            @DefaultValue("50000") int maxPeersPerSwarm,
            @DefaultValue("10000000") long maxPeers,
            @DefaultValue("30s") Duration sweepInterval) {

        public Store {
            atLeast("ctracker.store.max-swarms", maxSwarms, 1);
            atLeast("ctracker.store.max-peers-per-swarm", maxPeersPerSwarm, 1);
            atLeast("ctracker.store.max-peers", maxPeers, 1);
            set("ctracker.store.sweep-interval", sweepInterval);
            if (peerTtl != null && peerTtl.toSeconds() < 1) {
                throw new IllegalArgumentException("ctracker.store.peer-ttl must be at least 1s");
            }
            if (sweepInterval.toMillis() < 100) {
                throw new IllegalArgumentException("ctracker.store.sweep-interval must be at least 100ms");
            }
        }
    }

    /** Scrape (BEP 48): hashes per request, and whether a scrape without info_hash lists all. */
    public record Scrape(
            @DefaultValue("64") int maxHashes,
            @DefaultValue("false") boolean fullScrapeEnabled) {

        public Scrape {
            inRange("ctracker.scrape.max-hashes", maxHashes, 1, 10000);
        }
    }

    /** The public HTTP server. */
    public record Http(
            @DefaultValue("8KB") DataSize maxRequestLine,
            @DefaultValue("8KB") DataSize maxHeaderSize,
            @DefaultValue("30s") Duration idleTimeout,
            @DefaultValue("0") int workerThreads,
            @DefaultValue("auto") HttpTransport transport) {

        public Http {
            require(transport != null, "ctracker.http.transport must be one of auto, io_uring, epoll, nio");
            require(maxRequestLine != null, "ctracker.http.max-request-line must be set");
            require(maxHeaderSize != null, "ctracker.http.max-header-size must be set");
            set("ctracker.http.idle-timeout", idleTimeout);
            inRange("ctracker.http.worker-threads", workerThreads, 0, 256);
            if (maxRequestLine.toBytes() < 256 || maxRequestLine.toBytes() > 1 << 20) {
                throw new IllegalArgumentException("ctracker.http.max-request-line must be between 256B and 1MB");
            }
            if (maxHeaderSize.toBytes() < 256 || maxHeaderSize.toBytes() > 1 << 20) {
                throw new IllegalArgumentException("ctracker.http.max-header-size must be between 256B and 1MB");
            }
        }
    }

    /** The UDP tracker (BEP 15). No port: the same number as {@code server.port}; 0 turns UDP off. */
    public record Udp(Integer port) {
        public Udp {
            if (port != null) {
                inRange("ctracker.udp.port", port, 0, 65535);
            }
        }
    }

    /** Info-hash access lists: files of 40-hex-digit hashes, re-read when they change. */
    public record Access(Path allowList, Path denyList) {
    }

    /** HTTPS for announce and scrape, served when both PEM files are set. */
    public record Https(
            @DefaultValue("8443") int port,
            Path certificate,
            Path privateKey) {

        public Https {
            inRange("ctracker.https.port", port, 0, 65535);
            if ((certificate == null) != (privateKey == null)) {
                throw new IllegalArgumentException("ctracker.https.certificate and ctracker.https.private-key go together: set both or neither");
            }
        }

        public boolean enabled() {
            return certificate != null;
        }
    }

    public Duration peerTtl() {
        return store.peerTtl() != null ? store.peerTtl() : announce.interval().multipliedBy(2);
    }

    // ------------------------------------------------- the one mapping onto the core's settings

    StoreLimits storeLimits() {
        return new StoreLimits(peerTtl(), store.maxSwarms(), store.maxPeersPerSwarm(), store.maxPeers());
    }

    /** @param randomTrackerId used when {@code ctracker.announce.tracker-id} is not set */
    TrackerService.Settings serviceSettings(String randomTrackerId) {
        TrustedNetworks trusted;
        try {
            trusted = TrustedNetworks.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ctracker.trusted-proxies: " + e.getMessage(), e);
        }
        String trackerId = announce.trackerId() != null ? announce.trackerId() : randomTrackerId;
        var reply = new AnnounceResponseWriter.ReplySettings((int) announce.interval().toSeconds(),
                (int) announce.minInterval().toSeconds(), trackerId.getBytes(StandardCharsets.UTF_8),
                announce.warningMessage() == null ? null : announce.warningMessage().getBytes(StandardCharsets.UTF_8));
        return new TrackerService.Settings(reply, announce.numwantDefault(), announce.numwantMax(), scrape.maxHashes(),
                scrape.fullScrapeEnabled(), trusted);
    }

    /** Event loops per public port (HTTP, HTTPS, UDP): {@code ctracker.http.worker-threads}, or {@code cpus} when it is 0. */
    int publicEventLoops(int cpus) {
        return http.workerThreads() > 0 ? http.workerThreads() : cpus;
    }

    /** @param cpus worker threads when {@code ctracker.http.worker-threads} is 0 */
    PublicHttpServer.Settings publicServerSettings(String address, int port, int cpus) {
        return new PublicHttpServer.Settings(address, port, publicEventLoops(cpus), (int) http.maxRequestLine().toBytes(),
                (int) http.maxHeaderSize().toBytes(), http.idleTimeout(), http.transport());
    }
}
