package net.ctracker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import net.ctracker.overlay.OverlayConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import static net.ctracker.config.PropertyChecks.inRange;
import static net.ctracker.config.PropertyChecks.positive;
import static net.ctracker.config.PropertyChecks.require;

/**
 * How this node joins and runs the overlay. The top-level names ({@code ctracker.bootstrap},
 * {@code advertised-url}, {@code node-key}, {@code region}, {@code cluster-secret}) are a contract
 * with operators and the Helm chart; the tunables live under {@code ctracker.overlay.*}. Checked
 * here with messages naming the property; {@link #overlayConfig()} is the one place that maps them
 * onto the core's {@link OverlayConfig}.
 *
 * @param bootstrap         internal base URLs of nodes to join through; empty: this is the first node
 * @param advertisedUrl     internal base URL other nodes use to reach this one; default
 *                          {@code http://127.0.0.1:<internal port>}
 * @param nodeKey           40 hex digits; else a key kept in {@code data-dir}, else SHA-1 of a configured
 *                          advertised URL, else random
 * @param region            a label (ISP, data centre) shown to operators and used for locality
 * @param clusterSecret     shared by every node of one overlay, at least 16 characters; required
 *                          when {@code bootstrap} is set, generated for a lone node otherwise
 * @param clusterSecretFile a file whose content (trailing newline removed) is the cluster secret, so
 *                          the secret need not be on a command line; not both
 * @param dataDir           where a generated node key is kept across restarts (optional)
 */
@ConfigurationProperties("ctracker")
public record OverlayProperties(
        @DefaultValue List<String> bootstrap,
        String advertisedUrl,
        String nodeKey,
        @DefaultValue("default") String region,
        String clusterSecret,
        String clusterSecretFile,
        String dataDir,
        @DefaultValue Overlay overlay) {

    public OverlayProperties {
        bootstrap = bootstrap == null ? List.of()
                : bootstrap.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (nodeKey != null && !nodeKey.isBlank() && !nodeKey.trim().matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("ctracker.node-key must be 40 hex digits");
        }
        if (clusterSecretFile != null && !clusterSecretFile.isBlank()) {
            require(clusterSecret == null || clusterSecret.isEmpty(),
                    "set ctracker.cluster-secret or ctracker.cluster-secret-file, not both");
            clusterSecret = readSecret(clusterSecretFile.trim());
        }
        if (clusterSecret != null && !clusterSecret.isEmpty() && clusterSecret.length() < 16) {
            throw new IllegalArgumentException("ctracker.cluster-secret must be at least 16 characters");
        }
        if (!bootstrap.isEmpty() && (clusterSecret == null || clusterSecret.isEmpty())) {
            throw new IllegalArgumentException("ctracker.cluster-secret is required to join through ctracker.bootstrap: "
                    + "set the same secret on every node of the overlay");
        }
        for (String url : bootstrap) {
            requireHttpUrl("ctracker.bootstrap", url);
        }
        if (advertisedUrl != null && !advertisedUrl.isBlank()) {
            requireHttpUrl("ctracker.advertised-url", advertisedUrl);
        }
        if (region == null || region.isBlank() || region.length() > 64) {
            throw new IllegalArgumentException("ctracker.region must be 1..64 characters");
        }
    }

    private static String readSecret(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("ctracker.cluster-secret-file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requireHttpUrl(String property, String url) {
        if (!url.matches("https?://[^/\\s]+/?")) {
            throw new IllegalArgumentException(property + ": '" + url + "' is not a base URL such as http://10.0.0.7:7070");
        }
    }

    /** Whether the advertised URL was configured (not the loopback default). */
    boolean advertisedUrlSet() {
        return advertisedUrl != null && !advertisedUrl.isBlank();
    }

    /**
     * The core's settings: the tunables that are set, over {@link OverlayConfig}'s defaults (the
     * only place they are defined), and the lookup timeout from {@code route-timeout}.
     */
    public OverlayConfig overlayConfig() {
        Overlay o = overlay;
        OverlayConfig.Builder b = OverlayConfig.builder().lookupTimeoutMillis(o.routeTimeout().toMillis());
        if (o.leafSetSize() != null) {
            // the watched leaves are at most one side of the leaf set
            b.leafSetSize(o.leafSetSize()).watchedLeaves(Math.min(OverlayConfig.defaults().pings().watchedLeaves(), o.leafSetSize() / 2));
        }
        if (o.proximity() != null) {
            b.proximity(o.proximity());
        }
        if (o.pingPeriod() != null) {
            b.pingPeriodMillis(o.pingPeriod().toMillis());
        }
        if (o.tablePingPeriod() != null) {
            b.tablePingPeriodMillis(o.tablePingPeriod().toMillis());
        }
        if (o.leafExchangePeriod() != null) {
            b.leafExchangePeriodMillis(o.leafExchangePeriod().toMillis());
        }
        if (o.rowExchangePeriod() != null) {
            b.rowExchangePeriodMillis(o.rowExchangePeriod().toMillis());
        }
        if (o.gracePeriod() != null) {
            b.gracePeriodMillis(o.gracePeriod().toMillis());
        }
        if (o.joinRetry() != null) {
            b.joinRetryMillis(o.joinRetry().toMillis());
        }
        return b.build();
    }

    /**
     * Overlay tunables. Those without a default here take {@link OverlayConfig}'s (the design
     * brief's, except the table ping period: docs/overlay.md); the rest belong to the HTTP side.
     *
     * @param routeTimeout  a lookup without answer fails after this (the admin route's 504, and the
     *                      node's own lookup timeout in production)
     * @param replayWindow  overlay messages older or newer than this by the sender's clock are refused
     * @param replayMemory  MACs remembered within the replay window; when full, messages are refused
     *                      (503) rather than memory grown
     * @param connectTimeout TCP connect timeout of overlay messages
     */
    public record Overlay(
            Integer leafSetSize,
            Boolean proximity,
            Duration pingPeriod,
            Duration tablePingPeriod,
            Duration leafExchangePeriod,
            Duration rowExchangePeriod,
            Duration gracePeriod,
            Duration joinRetry,
            @DefaultValue("30s") Duration replayWindow,
            @DefaultValue("200000") int replayMemory,
            @DefaultValue("5s") Duration routeTimeout,
            @DefaultValue("2s") Duration connectTimeout) {

        public Overlay {
            if (leafSetSize != null) {
                inRange("ctracker.overlay.leaf-set-size", leafSetSize, 2, OverlayConfig.MAX_LEAF_SET_SIZE);
                require(leafSetSize % 2 == 0, "ctracker.overlay.leaf-set-size must be even, not " + leafSetSize);
            }
            optionalPositive("ctracker.overlay.ping-period", pingPeriod);
            optionalPositive("ctracker.overlay.table-ping-period", tablePingPeriod);
            optionalPositive("ctracker.overlay.leaf-exchange-period", leafExchangePeriod);
            optionalPositive("ctracker.overlay.row-exchange-period", rowExchangePeriod);
            optionalPositive("ctracker.overlay.join-retry", joinRetry);
            if (gracePeriod != null) {
                require(!gracePeriod.isNegative(), "ctracker.overlay.grace-period must not be negative");
            }
            positive("ctracker.overlay.replay-window", replayWindow);
            inRange("ctracker.overlay.replay-memory", replayMemory, 1_000, 100_000_000);
            positive("ctracker.overlay.route-timeout", routeTimeout);
            positive("ctracker.overlay.connect-timeout", connectTimeout);
        }

        private static void optionalPositive(String property, Duration d) {
            if (d != null) {
                positive(property, d);
            }
        }
    }
}
