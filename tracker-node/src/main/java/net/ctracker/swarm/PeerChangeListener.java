package net.ctracker.swarm;

/**
 * Told when the store's content really changes: a new peer, a peer that became a seeder or left.
 * A re-announce that changes nothing is not reported, so a publisher built on this sends nothing
 * for it. Called under the swarm's lock: implementations only enqueue, never block.
 */
public interface PeerChangeListener {

    PeerChangeListener NONE = new PeerChangeListener() { };

    /** Why a peer left the store. */
    enum Removal {
        /** the client said {@code event=stopped} */
        STOPPED,
        /** no re-announce within the peer TTL */
        EXPIRED,
        /** pushed out to stay within a memory cap */
        EVICTED
    }

    /**
     * A peer was added, or its seeder state or peer id changed. {@code endpoint} is compact;
     * {@code completed} when this announce said {@code event=completed} and made the peer a seeder
     * (the one announce that counts towards {@code downloaded}).
     */
    default void peerUpdated(InfoHash infoHash, byte[] endpoint, byte[] peerId, boolean seeder, boolean completed) {
    }

    /** A peer left. */
    default void peerRemoved(InfoHash infoHash, byte[] endpoint, Removal why) {
    }
}
