package net.ctracker.overlay;

import net.ctracker.overlay.routing.NodeHandle;

/**
 * Told of every round-trip-time sample the node takes: one for each acknowledged message sent to a
 * node whose handle it knows (every message but a JOIN to a bare bootstrap address), with the
 * value the node feeds its own estimators. The sample is the transport's measurement of the round
 * trip (see {@link Transport.Delivery#acknowledged}), not the node's queueing. Called on the event
 * loop: do not block. Network coordinates (Vivaldi) are built on it.
 */
@FunctionalInterface
public interface RttListener {

    RttListener NONE = (peer, rttMillis) -> { };

    void sampled(NodeHandle peer, double rttMillis);
}
