package net.ctracker.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How peers are chosen for an answer ({@code ctracker.locality.*}).
 *
 * @param randomShare share of every answer drawn at random from peers announced at other nodes, so
 *                    that no swarm splits into islands (0..1)
 */
@Validated
@ConfigurationProperties("ctracker.locality")
public record LocalityProperties(@DefaultValue("0.2") double randomShare) {

    public LocalityProperties {
        PropertyChecks.require(randomShare >= 0 && randomShare <= 1,
                "ctracker.locality.random-share must be between 0 and 1, not " + randomShare);
    }
}
