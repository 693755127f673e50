package net.ctracker.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The operator's web page and admin API ({@code /admin/} and {@code /admin/api/*} on the internal
 * port): the optional credential, and the bounds of the cluster view gathered over the overlay.
 *
 * @param username the user name of the credential (HTTP Basic)
 * @param password empty (the default): the page and the admin API are open, like actuator; set (8
 *                 characters or more): both ask for {@code username} and this password. Health,
 *                 Prometheus and overlay messages stay open either way
 */
@Validated
@ConfigurationProperties("ctracker.admin")
public record AdminProperties(
        @DefaultValue("admin") String username,
        String password,
        @DefaultValue @Valid Cluster cluster) {

    public AdminProperties {
        if (username == null || username.isEmpty() || username.length() > 64 || username.contains(":")) {
            throw new IllegalArgumentException("ctracker.admin.username must be 1..64 characters without ':'");
        }
        if (password != null && !password.isEmpty() && password.length() < 8) {
            throw new IllegalArgumentException("ctracker.admin.password must be at least 8 characters (or empty: no credential)");
        }
    }

    /** Whether the page and the admin API ask for the credential. */
    public boolean credentialRequired() {
        return password != null && !password.isEmpty();
    }

    /**
     * How {@code GET /admin/api/cluster} and {@code /admin/api/swarms} gather the cluster.
     *
     * @param timeout     a gathering's time budget: a node that has not answered by then is unreachable
     * @param cacheTtl    a gathering serves later requests for this long
     * @param maxNodes    nodes in the view and remembered, this one included
     * @param maxBytes    description bytes one gathering takes in
     * @param maxInFlight requests to other nodes outstanding at once
     * @param forgetAfter an unreachable node is dropped from the view this long after it was last seen
     */
    public record Cluster(
            @DefaultValue("5s") @NotNull Duration timeout,
            @DefaultValue("2s") @NotNull Duration cacheTtl,
            @DefaultValue("1000") @Min(1) @Max(100000) int maxNodes,
            @DefaultValue("16MB") @NotNull DataSize maxBytes,
            @DefaultValue("64") @Min(1) @Max(1024) int maxInFlight,
            @DefaultValue("1h") @NotNull Duration forgetAfter) {

        public Cluster {
            if (timeout.toMillis() < 100 || timeout.toMillis() > 60_000) {
                throw new IllegalArgumentException("ctracker.admin.cluster.timeout must be between 100ms and 60s");
            }
            if (cacheTtl.isNegative() || cacheTtl.toMillis() > 600_000) {
                throw new IllegalArgumentException("ctracker.admin.cluster.cache-ttl must be between 0 and 10m");
            }
            if (maxBytes.toBytes() < 64 * 1024) {
                throw new IllegalArgumentException("ctracker.admin.cluster.max-bytes must be at least 64KB (one description)");
            }
            if (forgetAfter.toMillis() < 1_000) {
                throw new IllegalArgumentException("ctracker.admin.cluster.forget-after must be at least 1s");
            }
        }
    }
}
