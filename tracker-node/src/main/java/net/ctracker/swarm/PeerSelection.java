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

        private boolean withPeerIds = true;

        /**
         * The chosen endpoints as an open-addressing set, so that {@link #contains} is O(1): entries
         * are {@code generation << 32 | index + 1}, valid while their generation is the current one.
         * Built on the first {@code contains} (only answers joined with other nodes' peers ask), then
         * kept up by {@link #add}; an entry whose index is no longer below {@code count} (the
         * selection was cut) is passed over, and the set is rebuilt when half full.
         */
        private long[] chosen;
        private int generation;
        private int used;

        void add(byte[] endpointSource, int endpointOffset, byte[] peerIdSource, int peerIdOffset) {
            // a constant length lets the JIT copy the six bytes in place; a variable one calls a copy routine per peer
            if (endpointLength == 6) {
                System.arraycopy(endpointSource, endpointOffset, endpoints, count * 6, 6);
            } else {
                System.arraycopy(endpointSource, endpointOffset, endpoints, count * endpointLength, endpointLength);
            }
            if (withPeerIds) {
                System.arraycopy(peerIdSource, peerIdOffset, peerIds, count * PeerId.LENGTH, PeerId.LENGTH);
            }
            if (chosen != null) {
                remember(count);
            }
            count++;
        }

        /** Where {@link #retainAt} gathers the kept peers before they go back to the front. */
        private byte[] gatheredEndpoints;
        private byte[] gatheredPeerIds;

        /** Keeps only the peers at {@code positions[0..kept)} (distinct, each below {@code count()}), in that order. */
        void retainAt(int[] positions, int kept) {
            if (gatheredEndpoints == null) {
                gatheredEndpoints = new byte[endpoints.length];
            }
            if (endpointLength == 6) {
                for (int i = 0; i < kept; i++) {
                    System.arraycopy(endpoints, positions[i] * 6, gatheredEndpoints, i * 6, 6); // constant length: copied in place
                }
            } else {
                for (int i = 0; i < kept; i++) {
                    System.arraycopy(endpoints, positions[i] * endpointLength, gatheredEndpoints, i * endpointLength, endpointLength);
                }
            }
            System.arraycopy(gatheredEndpoints, 0, endpoints, 0, kept * endpointLength);
            if (withPeerIds) {
                if (gatheredPeerIds == null) {
                    gatheredPeerIds = new byte[peerIds.length];
                }
                for (int i = 0; i < kept; i++) {
                    System.arraycopy(peerIds, positions[i] * PeerId.LENGTH, gatheredPeerIds, i * PeerId.LENGTH, PeerId.LENGTH);
                }
                System.arraycopy(gatheredPeerIds, 0, peerIds, 0, kept * PeerId.LENGTH);
            }
            count = kept;
            if (chosen != null) {
                rebuild();
            }
        }

        void reset() {
            count = 0;
            if (chosen != null) {
                nextGeneration();
            }
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

        /** Peer ids, 20 bytes each, in the same order as the endpoints (unless not asked for). */
        public byte[] peerIds() {
            return peerIds;
        }

        int room() {
            return endpoints.length / endpointLength - count;
        }

        /** Drops the peers added after the first {@code kept}. */
        void truncate(int kept) {
            count = Math.min(count, Math.max(0, kept));
        }

        /** Whether {@code endpoint[offset..offset+endpointLength)} is already chosen. */
        boolean contains(byte[] endpoint, int offset) {
            if (chosen == null) {
                rebuild();
            }
            int mask = chosen.length - 1;
            int slot = hash(endpoint, offset) & mask;
            long entry;
            while ((int) ((entry = chosen[slot]) >>> 32) == generation) {
                int i = (int) entry - 1;
                if (i < count && java.util.Arrays.equals(endpoints, i * endpointLength, (i + 1) * endpointLength,
                        endpoint, offset, offset + endpointLength)) {
                    return true;
                }
                slot = (slot + 1) & mask;
            }
            return false;
        }

        /** Enters the endpoint at index {@code i} in the set. */
        private void remember(int i) {
            if ((used + 1) * 2 > chosen.length) {
                rebuild();
            }
            int mask = chosen.length - 1;
            int slot = hash(endpoints, i * endpointLength) & mask;
            while ((int) (chosen[slot] >>> 32) == generation) {
                slot = (slot + 1) & mask;
            }
            chosen[slot] = (long) generation << 32 | (i + 1);
            used++;
        }

        /** A new generation holding the first {@code count} endpoints, in a set at most a quarter full. */
        private void rebuild() {
            int size = 16;
            while (size < 4 * count) {
                size <<= 1;
            }
            if (chosen == null || chosen.length < size) {
                chosen = new long[size];
                generation = 1;
                used = 0;
            } else {
                nextGeneration();
            }
            for (int i = 0; i < count; i++) {
                remember(i);
            }
        }

        private void nextGeneration() {
            used = 0;
            if (++generation == 0) {
                java.util.Arrays.fill(chosen, 0L);
                generation = 1;
            }
        }

        private int hash(byte[] bytes, int offset) {
            long h = 0x9E3779B97F4A7C15L;
            for (int i = 0; i < endpointLength; i++) {
                h = (h ^ (bytes[offset + i] & 0xff)) * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            return (int) (h ^ (h >>> 33));
        }
    }

    private final int capacity;
    private final Family v4;
    private final Family v6;
    int complete;
    int incomplete;
    boolean renewed;

    public PeerSelection(int capacity) {
        this.capacity = capacity;
        this.v4 = new Family(6, capacity);
        this.v6 = new Family(18, capacity);
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Whether the peers' ids are copied too (by default they are). A compact reply does not carry
     * them, and without them the store's selection never reads its peer-id array, which is most of
     * a swarm's memory (docs/performance.md); {@link #clear()} keeps the setting.
     */
    public PeerSelection withPeerIds(boolean wanted) {
        v4.withPeerIds = wanted;
        v6.withPeerIds = wanted;
        return this;
    }

    /** Whether the peers' ids are copied (see {@link #withPeerIds(boolean)}). */
    public boolean withPeerIds() {
        return v4.withPeerIds;
    }

    public void clear() {
        v4.reset();
        v6.reset();
        complete = 0;
        incomplete = 0;
        renewed = false;
    }

    /** A private copy holding at most {@code capacity} peers (for an answer completed later). */
    public PeerSelection copy(int capacity) {
        PeerSelection c = new PeerSelection(Math.max(capacity, total()));
        for (Family f : new Family[] {v4, v6}) {
            Family to = c.family(f.endpointLength - 2);
            for (int i = 0; i < f.count; i++) {
                to.add(f.endpoints, i * f.endpointLength, f.peerIds, i * PeerId.LENGTH);
            }
        }
        c.complete = complete;
        c.incomplete = incomplete;
        c.renewed = renewed;
        return c;
    }

    /**
     * Adds one peer (compact endpoint of 6 or 18 bytes at {@code endpointOffset}, 20-byte peer id at
     * {@code peerIdOffset}) unless it is chosen already or there is no room; true if added.
     */
    public boolean add(byte[] endpoint, int endpointOffset, int endpointLength, byte[] peerId, int peerIdOffset) {
        Family f = family(endpointLength - 2);
        if (f.room() <= 0 || total() >= capacity || f.contains(endpoint, endpointOffset)) {
            return false;
        }
        f.add(endpoint, endpointOffset, peerId, peerIdOffset);
        return true;
    }

    /**
     * Adds one peer the caller knows is not chosen yet (as {@link #add} without the scan for a
     * duplicate, which costs O(chosen) per peer); false if there is no room.
     */
    public boolean addDistinct(byte[] endpoint, int endpointOffset, int endpointLength, byte[] peerId, int peerIdOffset) {
        Family f = family(endpointLength - 2);
        if (f.room() <= 0 || total() >= capacity) {
            return false;
        }
        f.add(endpoint, endpointOffset, peerId, peerIdOffset);
        return true;
    }

    /** Whether this compact endpoint is among the chosen peers. */
    public boolean contains(byte[] endpoint) {
        return (endpoint.length == 6 || endpoint.length == 18) && family(endpoint.length - 2).contains(endpoint, 0);
    }

    /**
     * Keeps at most {@code n} of the chosen peers, dropping from the end of the family that is not
     * the requester's first ({@code v4First}): the choices are random already, so the rest stay a
     * random subset.
     */
    public void keepAtMost(int n, boolean v4First) {
        Family first = v4First ? v4 : v6;
        Family second = v4First ? v6 : v4;
        int excess = total() - Math.max(0, n);
        if (excess <= 0) {
            return;
        }
        int fromSecond = Math.min(excess, second.count);
        second.count -= fromSecond;
        first.count -= Math.min(excess - fromSecond, first.count);
    }

    /** {@link #retain}'s positions sorted out by family, when it is given both. */
    private int[] v4Positions;
    private int[] v6Positions;

    /**
     * Keeps only the chosen peers at {@code positions[0..kept)}, numbered IPv4 first
     * ({@code 0..v4().count()-1}) then IPv6, each family in the order given; the positions are
     * distinct (the caller's choice: a repeated one would be handed out twice). Gathers the kept to
     * the front, so it moves only those: for a choice of some among many.
     */
    public void retain(int[] positions, int kept) {
        int total = total();
        if (kept < 0 || kept > total || kept > positions.length) {
            throw new IllegalArgumentException("keeping " + kept + " of " + total);
        }
        int v4Count = v4.count;
        int ipv6 = 0;
        for (int i = 0; i < kept; i++) {
            if (positions[i] < 0 || positions[i] >= total) {
                throw new IllegalArgumentException("position " + positions[i] + " of " + total);
            }
            ipv6 += positions[i] >= v4Count ? 1 : 0;
        }
        if (ipv6 == 0) {
            v4.retainAt(positions, kept); // the common case: nothing to sort out
            v6.reset();
            return;
        }
        if (v6Positions == null) {
            v4Positions = new int[capacity];
            v6Positions = new int[capacity];
        }
        int a = 0;
        int b = 0;
        for (int i = 0; i < kept; i++) {
            if (positions[i] < v4Count) {
                v4Positions[a++] = positions[i];
            } else {
                v6Positions[b++] = positions[i] - v4Count;
            }
        }
        v4.retainAt(v4Positions, a);
        v6.retainAt(v6Positions, b);
    }

    /** Replaces the counts (with the swarm's, wherever its peers announced). */
    public void setCounts(int complete, int incomplete) {
        this.complete = complete;
        this.incomplete = incomplete;
    }

    /** Whether the requester was already in the swarm before this announce (a re-announce). */
    public boolean renewed() {
        return renewed;
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

    public int total() {
        return v4.count + v6.count;
    }
}
