package net.ctracker.config;

import java.nio.file.Path;
import java.time.Duration;

import net.ctracker.locality.LocalityConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How peers are chosen and ranked for an answer ({@code ctracker.locality.*}); docs/locality.md
 * explains each.
 *
 * @param randomShare      share of every answer drawn at random from peers announced at other nodes, so
 *                         that no swarm splits into islands (0..1)
 * @param ranking          rank answers by closeness (false: a random choice, as a central tracker gives)
 * @param dimensions       dimensions of the network coordinates (1..8, plus a height)
 * @param coordinatePeriod every this long a node swaps coordinates with one random neighbour
 * @param oversample       an announce draws this many times numwant of the node's own peers to rank from (1..4)
 * @param altoNetworkMap   an ALTO network map (RFC 7285 JSON): addresses in one PID rank as one network
 * @param altoCostMap      an ALTO cost map for that network map: orders the other networks
 * @param altoCheckPeriod  how often the map files are checked for changes
 */
@Validated
@ConfigurationProperties("ctracker.locality")
public record LocalityProperties(
        @DefaultValue("0.2") double randomShare,
        @DefaultValue("true") boolean ranking,
        @DefaultValue("3") int dimensions,
        @DefaultValue("10s") Duration coordinatePeriod,
        @DefaultValue("2") int oversample,
        Path altoNetworkMap,
        Path altoCostMap,
        @DefaultValue("5s") Duration altoCheckPeriod) {

    private static final String P = "ctracker.locality.";

    public LocalityProperties {
        PropertyChecks.require(randomShare >= 0 && randomShare <= 1, P + "random-share must be between 0 and 1, not " + randomShare);
        PropertyChecks.inRange(P + "dimensions", dimensions, 1, 8);
        PropertyChecks.inRange(P + "oversample", oversample, 1, 4);
        PropertyChecks.positive(P + "coordinate-period", coordinatePeriod);
        PropertyChecks.positive(P + "alto-check-period", altoCheckPeriod);
        PropertyChecks.require(altoCostMap == null || altoNetworkMap != null,
                P + "alto-cost-map needs " + P + "alto-network-map (the cost map names its PIDs)");
    }

    LocalityConfig toConfig() {
        return new LocalityConfig(ranking, dimensions, coordinatePeriod.toMillis(), oversample);
    }
}
