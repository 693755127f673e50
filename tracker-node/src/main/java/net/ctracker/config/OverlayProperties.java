package net.ctracker.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this node joins and runs the overlay. The top-level names ({@code ctracker.bootstrap},
 * {@code advertised-url}, {@code node-key}, {@code region}, {@code cluster-secret}) are a contract
 * with operators and the Helm chart; the tunables live under {@code ctracker.overlay.*}.
 *
 * @param bootstrap     internal base URLs of nodes to join through; empty: this is the first node
 * @param advertisedUrl internal base URL other nodes use to reach this one; default
 *                      {@code http://127.0.0.1:<internal port>}
 * @param nodeKey       40 hex digits; else a key kept in {@code data-dir}, else SHA-1 of the advertised URL
 * @param region        a label (ISP, data centre) shown to operators and used for locality
 * @param clusterSecret shared by every node of one overlay, at least 16 characters; required
 *                      when {@code bootstrap} is set, generated for a lone node otherwise
 * @param dataDir       where a generated node key is kept across restarts (optional)
 */
@Validated
@ConfigurationProperties("ctracker")
public record OverlayProperties(
        @DefaultValue List<String> bootstrap,
        String advertisedUrl,
        String nodeKey,
        @DefaultValue("default") String region,
        String clusterSecret,
        String dataDir,
        @DefaultValue @Valid Overlay overlay) {

    public OverlayProperties {
        bootstrap = bootstrap == null ? List.of()
                : bootstrap.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (nodeKey != null && !nodeKey.isBlank() && !nodeKey.trim().matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("ctracker.node-key must be 40 hex digits");
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

    private static void requireHttpUrl(String property, String url) {
        if (!url.matches("https?://[^/\\s]+/?")) {
            throw new IllegalArgumentException(property + ": '" + url + "' is not a base URL such as http://10.0.0.7:7070");
        }
    }

    /** Overlay tunables; defaults are the design brief's, except the table ping period (docs/overlay.md). */
    public record Overlay(
            @DefaultValue("16") @Min(2) @Max(64) int leafSetSize,
            @DefaultValue("true") boolean proximity,
            @DefaultValue("20s") @NotNull Duration pingPeriod,
            @DefaultValue("300s") @NotNull Duration tablePingPeriod,
            @DefaultValue("60s") @NotNull Duration leafExchangePeriod,
            @DefaultValue("60s") @NotNull Duration rowExchangePeriod,
            @DefaultValue("30s") @NotNull Duration gracePeriod,
            @DefaultValue("2s") @NotNull Duration joinRetry,
            @DefaultValue("30s") @NotNull Duration replayWindow,
            @DefaultValue("5s") @NotNull Duration routeTimeout,
            @DefaultValue("2s") @NotNull Duration connectTimeout) {

        public Overlay {
            if (leafSetSize % 2 != 0) {
                throw new IllegalArgumentException("ctracker.overlay.leaf-set-size must be even");
            }
            for (Duration d : List.of(pingPeriod, tablePingPeriod, leafExchangePeriod, rowExchangePeriod, joinRetry, replayWindow,
                    routeTimeout, connectTimeout)) {
                if (d.toMillis() < 1) {
                    throw new IllegalArgumentException("ctracker.overlay periods and timeouts must be positive");
                }
            }
        }
    }
}
