package net.ctracker.overlay;

import java.util.List;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/** Where a key's route ended: its root, the number of hops, and the keys visited (origin first, root last). */
public record LookupResult(NodeKey key, NodeHandle root, int hops, List<NodeKey> path) {
    public LookupResult {
        path = List.copyOf(path);
    }
}
