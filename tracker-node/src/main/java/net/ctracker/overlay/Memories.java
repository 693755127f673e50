package net.ctracker.overlay;

import java.util.Iterator;
import java.util.LinkedHashMap;

import net.ctracker.overlay.routing.NodeKey;

/** Bounded, insertion-ordered memories of nodes (removed nodes, probed candidates, death notices). */
final class Memories {

    private Memories() {
    }

    /** Puts {@code key} last in a memory of at most {@code max} entries, dropping the oldest beyond it. */
    static <V> void remember(LinkedHashMap<NodeKey, V> map, NodeKey key, V value, int max) {
        map.remove(key);
        if (max == 0) {
            return;
        }
        map.put(key, value);
        Iterator<NodeKey> oldest = map.keySet().iterator();
        while (map.size() > max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
