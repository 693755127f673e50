package net.ctracker.swarm;

import java.util.List;
import java.util.function.Consumer;

/**
 * What other nodes know about a swarm, joined to this node's own answer. A standalone node uses
 * {@link #NONE}; the partial trackers implement it over the overlay.
 *
 * <p>Contract: each method either completes the caller's answer in place and returns {@code true}
 * (the callback is never called), or returns {@code false} and later calls the callback exactly
 * once, from another thread, with an answer of its own (the caller's buffers may be reused at once).
 * It never blocks.
 */
public interface RemotePeers {

    RemotePeers NONE = new RemotePeers() {
        @Override
        public boolean completeAnnounce(InfoHash infoHash, byte[] endpoint, boolean seeder, int numwant,
                                        PeerSelection selection, Consumer<PeerSelection> later) {
            return true;
        }

        @Override
        public boolean completeScrape(List<InfoHash> hashes, List<SwarmCounts> counts, Consumer<List<SwarmCounts>> later) {
            return true;
        }
    };

    /**
     * How many of its own peers the node should draw for an announce that wants {@code numwant} (more
     * than numwant when the answer is ranked from a larger choice; the completion cuts it to numwant).
     */
    default int candidates(int numwant) {
        return numwant;
    }

    /**
     * Completes an announce: {@code selection} holds the node's own peers and counts for the
     * requester {@code endpoint}; the answer may add peers announced elsewhere (never the requester,
     * never twice) and replace the counts with the swarm's.
     */
    boolean completeAnnounce(InfoHash infoHash, byte[] endpoint, boolean seeder, int numwant, PeerSelection selection,
                             Consumer<PeerSelection> later);

    /** Completes a scrape: {@code counts} (this node's, one per hash) become the swarms' counts. */
    boolean completeScrape(List<InfoHash> hashes, List<SwarmCounts> counts, Consumer<List<SwarmCounts>> later);
}
