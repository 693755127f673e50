package net.ctracker.transport;

import net.ctracker.overlay.OverlayNode;

/**
 * The node this process runs, once it exists: the overlay node is built when the internal port is
 * bound (its advertised URL may depend on the bound port), while controllers are created earlier.
 */
public final class LocalNode {

    private final MessageAuthenticator authenticator;
    private volatile OverlayNode node;

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

    public void set(OverlayNode node) {
        this.node = node;
    }
}
