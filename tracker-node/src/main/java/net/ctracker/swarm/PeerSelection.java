package net.ctracker.swarm;

/**
 * A reusable buffer that one announce fills with the swarm's counts and the chosen peers, already
 * in compact form (BEP 23 for IPv4, BEP 7 for IPv6) with their peer ids beside them. One instance
 * per worker thread: the announce path allocates nothing for the peers it returns.
 */
public final class PeerSelection {

    /** The chosen peers of one address family. */
    public static final class Family {
        private final int endpointLength;
        private final byte[] endpoints;
        private final byte[] peerIds;
        private int count;

        Family(int endpointLength, int capacity) {
            this.endpointLength = endpointLength;
            this.endpoints = new byte[capacity * endpointLength];
            this.peerIds = new byte[capacity * PeerId.LENGTH];
        }

        void add(byte[] endpointSource, int endpointOffset, byte[] peerIdSource, int peerIdOffset) {
            System.arraycopy(endpointSource, endpointOffset, endpoints, count * endpointLength, endpointLength);
            System.arraycopy(peerIdSource, peerIdOffset, peerIds, count * PeerId.LENGTH, PeerId.LENGTH);
            count++;
        }

        public int count() {
            return count;
        }

        public int endpointLength() {
            return endpointLength;
        }

        /** Compact endpoints, {@code count() * endpointLength()} valid bytes. */
        public byte[] endpoints() {
            return endpoints;
        }

        /** Peer ids, 20 bytes each, in the same order as the endpoints. */
        public byte[] peerIds() {
            return peerIds;
        }

        int room() {
            return endpoints.length / endpointLength - count;
        }
    }

    private final int capacity;
    private final Family v4;
    private final Family v6;
    int complete;
    int incomplete;

    public PeerSelection(int capacity) {
        this.capacity = capacity;
        this.v4 = new Family(6, capacity);
        this.v6 = new Family(18, capacity);
    }

    public int capacity() {
        return capacity;
    }

    public void clear() {
        v4.count = 0;
        v6.count = 0;
        complete = 0;
        incomplete = 0;
    }

    public Family v4() {
        return v4;
    }

    public Family v6() {
        return v6;
    }

    public int complete() {
        return complete;
    }

    public int incomplete() {
        return incomplete;
    }

    Family family(int addressLength) {
        return addressLength == 4 ? v4 : v6;
    }

    int total() {
        return v4.count + v6.count;
    }
}
