package net.ctracker.admin;

import net.ctracker.overlay.NodeSnapshot;
import net.ctracker.overlay.LocalNode;
import net.ctracker.overlay.OverlayNode;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** Ready only once the node has joined the overlay; part of the readiness group. */
public class OverlayHealthIndicator implements HealthIndicator {

    private final LocalNode local;

    public OverlayHealthIndicator(LocalNode local) {
        this.local = local;
    }

    @Override
    public Health health() {
        OverlayNode node = local.node();
        if (node == null) {
            return Health.status(Status.OUT_OF_SERVICE).withDetail("overlay", "starting").build();
        }
        NodeSnapshot s = node.snapshot();
        return Health.status(s.joined() ? Status.UP : Status.OUT_OF_SERVICE)
                .withDetail("key", s.key().toString())
                .withDetail("region", s.region())
                .withDetail("joined", s.joined())
                .withDetail("leafSet", s.leafSetMembers())
                .withDetail("routingTable", s.routingTable().size())
                .build();
    }
}
