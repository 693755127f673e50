package net.ctracker.partial;

import java.util.Objects;

import net.ctracker.locality.Coordinate;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * The node where a peer announced: its overlay key, internal address, region label and network
 * coordinate. Every peer record a node holds for another node points at one; records of one
 * origin share the instance, so the newest coordinate reaches all of them at once.
 */
public record Origin(NodeKey key, String address, String region, Coordinate coordinate) {

    public Origin {
        Objects.requireNonNull(key);
        Objects.requireNonNull(address);
        Objects.requireNonNull(region);
        Objects.requireNonNull(coordinate);
    }

    public static Origin of(NodeHandle handle, Coordinate coordinate) {
        return new Origin(handle.key(), handle.address(), handle.region(), coordinate);
    }

    public NodeHandle handle() {
        return new NodeHandle(key, address, region);
    }

    @Override
    public String toString() {
        return key.shortString() + "@" + address + "(" + region + ")";
    }
}
