package net.ctracker.cluster;

import java.util.List;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.swarm.InfoHash;

/**
 * The operator's cluster view over the overlay: a node asks another to DESCRIBE itself and gets a
 * DESCRIPTION back, both as DIRECT messages of application type {@value ClusterCodec#APP_TYPE}.
 * Data only; {@link ClusterCodec} gives the bytes and their limits.
 */
public sealed interface ClusterMessage {

    Kind kind();

    enum Kind {
        DESCRIBE(1), DESCRIPTION(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Asks the receiver for its {@link Description}, with at most {@code swarmLimit} of its largest swarms. */
    record Describe(long requestId, int swarmLimit) implements ClusterMessage {
        @Override
        public Kind kind() {
            return Kind.DESCRIBE;
        }
    }

    /**
     * A node's account of itself (the sender is the node described): whether it has joined, the
     * sizes of its leaf set and routing table, which routing-table cells are filled
     * ({@code routingRows.get(r)} has bit {@code c} set when row r, column c holds a node; trailing
     * empty rows left out), the swarms and peers its own store holds, its neighbours with their
     * measured RTTs, and its largest held full lists.
     */
    record Description(long requestId, boolean joined, int leafSetSize, int routingEntries, List<Integer> routingRows,
                       int swarms, long peers, List<Neighbour> neighbours, List<HeldList> largestSwarms)
            implements ClusterMessage {

        public Description {
            routingRows = List.copyOf(routingRows);
            neighbours = List.copyOf(neighbours);
            largestSwarms = List.copyOf(largestSwarms);
        }

        @Override
        public Kind kind() {
            return Kind.DESCRIPTION;
        }
    }

    /**
     * A neighbour of the described node: in its leaf set, its routing table or both, with the
     * smoothed RTT it measured in milliseconds ({@code -1} when not measured yet).
     */
    record Neighbour(NodeHandle handle, boolean leaf, boolean table, double rttMs) {
    }

    /** A full peer list the described node holds, as the swarm's root or as a replica. */
    record HeldList(InfoHash infoHash, boolean root, int seeders, int leechers, long downloaded) {
        int peers() {
            return seeders + leechers;
        }
    }
}
