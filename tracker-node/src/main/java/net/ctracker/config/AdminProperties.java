package net.ctracker.config;

import java.time.Duration;

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
        @DefaultValue Cluster cluster) {

    public AdminProperties {
        PropertyChecks.require(username != null && !username.isEmpty() && username.length() <= 64 && !username.contains(":"),
                "ctracker.admin.username must be 1..64 characters without ':'");
        PropertyChecks.require(password == null || password.isEmpty() || password.length() >= 8,
                "ctracker.admin.password must be at least 8 characters (or empty: no credential)");
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
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("2s") Duration cacheTtl,
            @DefaultValue("1000") int maxNodes,
            @DefaultValue("16MB") DataSize maxBytes,
            @DefaultValue("64") int maxInFlight,
            @DefaultValue("1h") Duration forgetAfter) {

        private static final String P = "ctracker.admin.cluster.";

        public Cluster {
            PropertyChecks.set(P + "timeout", timeout);
            PropertyChecks.require(timeout.toMillis() >= 100 && timeout.toMillis() <= 60_000,
                    P + "timeout must be between 100ms and 60s, not " + timeout);
            PropertyChecks.set(P + "cache-ttl", cacheTtl);
            PropertyChecks.require(!cacheTtl.isNegative() && cacheTtl.toMillis() <= 600_000,
                    P + "cache-ttl must be between 0 and 10m, not " + cacheTtl);
            PropertyChecks.inRange(P + "max-nodes", maxNodes, 1, 100_000);
            PropertyChecks.require(maxBytes != null && maxBytes.toBytes() >= 64 * 1024,
                    P + "max-bytes must be at least 64KB (one description), not " + maxBytes);
            PropertyChecks.inRange(P + "max-in-flight", maxInFlight, 1, 1024);
            PropertyChecks.set(P + "forget-after", forgetAfter);
            PropertyChecks.require(forgetAfter.toMillis() >= 1_000, P + "forget-after must be at least 1s, not " + forgetAfter);
        }
    }
}
