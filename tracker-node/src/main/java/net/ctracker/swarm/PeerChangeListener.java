package net.ctracker.swarm;

/**
 * Told when the store's content really changes: a new peer, a peer that became a seeder or left.
 * A re-announce that changes nothing is not reported, so a publisher built on this sends nothing
 * for it. Called under the swarm's lock: implementations only enqueue, never block.
 */
public interface PeerChangeListener {

    PeerChangeListener NONE = new PeerChangeListener() { };

    /** A peer was added, or its seeder state or peer id changed. {@code endpoint} is compact. */
    default void peerUpdated(InfoHash infoHash, byte[] endpoint, byte[] peerId, boolean seeder) {
    }

    /** A peer left (stopped, expired or evicted). */
    default void peerRemoved(InfoHash infoHash, byte[] endpoint) {
    }
}
