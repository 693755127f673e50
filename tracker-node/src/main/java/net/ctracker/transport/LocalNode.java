package net.ctracker.transport;

import net.ctracker.overlay.OverlayNode;

/**
 * The node this process runs, once it exists: the overlay node is built when the internal port is
 * bound (its advertised URL may depend on the bound port), while controllers are created earlier.
 */
public final class LocalNode {

    private final MessageAuthenticator authenticator;
    private volatile OverlayNode node;
    private final java.util.List<java.util.function.Consumer<OverlayNode>> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    public LocalNode(MessageAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    public MessageAuthenticator authenticator() {
        return authenticator;
    }

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
    public void whenCreated(java.util.function.Consumer<OverlayNode> then) {
        created.add(then);
        OverlayNode n = node;
        if (n != null) {
            then.accept(n);
        }
    }
}
