package net.ctracker.overlay;

import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * Upcalls from the overlay to an application registered for one application type (the
 * {@code appType} of {@link Route} and {@link Direct} messages). Every upcall runs on the node's
 * event loop: do not block; hand long work to another executor.
 */
public interface Application {

    /**
     * Called at every node that forwards {@code message} towards the root of {@code key}, before it
     * goes to {@code nextHop}. Return the message to forward (possibly a modified copy), or
     * {@code null} to stop it here (for example because this node can answer).
     */
    default Route forward(NodeKey key, Route message, NodeHandle nextHop) {
        return message;
    }

    /** Called at the root of {@code key} (the live node numerically closest to it). */
    void deliver(NodeKey key, Route message);

    /** A message sent straight to this node with {@link OverlayNode#sendDirect}. */
    default void direct(NodeHandle from, Direct message) {
    }

    /** A node entered ({@code joined}) or left this node's leaf set. */
    default void update(NodeHandle node, boolean joined) {
    }

    /**
     * This node is leaving politely: its goodbyes go out right after this returns, and it then
     * stops. What the application still has queued for other nodes should be sent now.
     */
    default void leaving() {
    }
}
