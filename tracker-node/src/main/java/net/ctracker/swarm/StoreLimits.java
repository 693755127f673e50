package net.ctracker.swarm;

import java.time.Duration;

/**
 * Bounds of a {@link SwarmStore}: peer time-to-live, and the caps that keep a flood of random
 * info_hashes or ports from exhausting the heap. How many peers a reply may carry is the service's
 * policy ({@code numwant-max}); the store only fills what the caller's selection can hold.
 */
public record StoreLimits(Duration peerTtl, int maxSwarms, int maxPeersPerSwarm, long maxPeers) {

    public StoreLimits {
        if (peerTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("peer TTL must be at least one second");
        }
        if (maxSwarms < 1 || maxPeersPerSwarm < 1 || maxPeers < 1) {
            throw new IllegalArgumentException("store caps must be positive");
        }
    }
}
