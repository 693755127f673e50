package net.ctracker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code ctracker.*} setting, typed and validated in one place. A bad value stops start-up
 * with a message naming the property. The public port is Spring's own {@code server.port}.
 */
@Validated
@ConfigurationProperties("ctracker")
public record TrackerProperties(
        @DefaultValue("7070") @Min(0) @Max(65535) int internalPort,
        @DefaultValue @Valid Announce announce,
        @DefaultValue @Valid Store store,
        @DefaultValue @Valid Scrape scrape,
        @DefaultValue @Valid Http http,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue @Valid Udp udp,
        @DefaultValue @Valid Access access,
        @DefaultValue @Valid Https https) {

    public TrackerProperties {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** The announce reply: how often clients come back and how many peers they get. */
    public record Announce(
            @DefaultValue("30m") @NotNull Duration interval,
            @DefaultValue("5m") @NotNull Duration minInterval,
            @DefaultValue("50") @Min(0) int numwantDefault,
            @DefaultValue("200") @Min(1) @Max(1000) int numwantMax,
            String trackerId,
            String warningMessage) {

        public Announce {
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
            @DefaultValue("1000000") @Min(1) int maxSwarms,
            @DefaultValue("50000") @Min(1) int maxPeersPerSwarm,
            @DefaultValue("10000000") @Min(1) long maxPeers,
            @DefaultValue("30s") @NotNull Duration sweepInterval) {

        public Store {
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
            @DefaultValue("64") @Min(1) @Max(10000) int maxHashes,
            @DefaultValue("false") boolean fullScrapeEnabled) {
    }

    /** The public HTTP server. */
    public record Http(
            @DefaultValue("8KB") @NotNull DataSize maxRequestLine,
            @DefaultValue("8KB") @NotNull DataSize maxHeaderSize,
            @DefaultValue("30s") @NotNull Duration idleTimeout,
            @DefaultValue("0") @Min(0) @Max(256) int workerThreads) {

        public Http {
            if (maxRequestLine.toBytes() < 256 || maxRequestLine.toBytes() > 1 << 20) {
                throw new IllegalArgumentException("ctracker.http.max-request-line must be between 256B and 1MB");
            }
            if (maxHeaderSize.toBytes() < 256 || maxHeaderSize.toBytes() > 1 << 20) {
                throw new IllegalArgumentException("ctracker.http.max-header-size must be between 256B and 1MB");
            }
        }
    }

    /** The UDP tracker (BEP 15). No port: the same number as {@code server.port}; 0 turns UDP off. */
    public record Udp(@Min(0) @Max(65535) Integer port) {
    }

    /** Info-hash access lists: files of 40-hex-digit hashes, re-read when they change. */
    public record Access(Path allowList, Path denyList) {
    }

    /** HTTPS for announce and scrape, served when both PEM files are set. */
    public record Https(
            @DefaultValue("8443") @Min(0) @Max(65535) int port,
            Path certificate,
            Path privateKey) {

        public Https {
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
}
