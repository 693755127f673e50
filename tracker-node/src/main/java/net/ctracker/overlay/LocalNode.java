package net.ctracker.overlay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The node this process runs, once it exists: the overlay node is built when the internal port is
 * bound (its advertised URL may depend on the bound port), while the controllers, health and
 * metrics that read it are created earlier. A holder, thread-safe: the read side (admin API,
 * health, metrics) reaches the node through it without knowing the transport.
 */
public final class LocalNode {

    private volatile OverlayNode node;
    private final List<Consumer<OverlayNode>> created = new CopyOnWriteArrayList<>();

    /** The running node, or null before start-up finished. */
    public OverlayNode node() {
        return node;
    }

    /** Sets the node once it is built, before it starts, and tells those waiting for it (to register applications). */
    public void set(OverlayNode node) {
        this.node = node;
        created.forEach(c -> c.accept(node));
    }

    /** Runs {@code then} with the node once it is built (before it joins), or at once if it exists. */
    public void whenCreated(Consumer<OverlayNode> then) {
        created.add(then);
        OverlayNode n = node;
        if (n != null) {
            then.accept(n);
        }
    }
}
