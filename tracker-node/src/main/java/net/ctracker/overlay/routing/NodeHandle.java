package net.ctracker.overlay.routing;

import java.util.Objects;

/**
 * How to reach an overlay node: its key, its transport address (in production the internal base
 * URL such as {@code http://10.0.0.7:7070}; in the simulator any unique string) and its region label.
 */
public record NodeHandle(NodeKey key, String address, String region) {

    public NodeHandle {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(region, "region");
    }

    @Override
    public String toString() {
        return key.shortString() + "@" + address;
    }
}
