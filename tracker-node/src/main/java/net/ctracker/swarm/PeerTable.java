package net.ctracker.swarm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One address family's seeders or leechers of one swarm, keyed by the compact endpoint (address
 * then big-endian port, BEP 23 form).
 *
 * <p>The peers sit densely at positions {@code 0..size-1} of three parallel arrays: the endpoints
 * ({@code endpointLength} bytes each), the 20-byte peer ids, and the tick of each peer's last
 * announce. A separate open-addressing index (linear probing, backward-shift deletion, no
 * tombstones) maps an endpoint to its position; it holds {@code position + 1}, 0 marking an empty
 * slot. Removing a peer moves the last one into its place, so the arrays never have holes.
 *
 * <p>The layout is for {@link #select}: the announce path's largest cost was cache misses on the
 * peers it hands out (docs/performance.md). Dense endpoints put about ten IPv4 peers in a cache
 * line, peer ids are read only for replies that carry them, and a selection walks the endpoints
 * forward, so the hardware prefetcher runs ahead of it. About 30 bytes per peer plus 4 bytes per
 * index slot. Not thread-safe: the owning store guards it with the swarm's stripe lock.
 */
final class PeerTable {

    /** Index slots of a new table; the peer arrays hold three quarters of the index's capacity. */
    private static final int MIN_CAPACITY = 4;

    private final int endpointLength;
    private final long hashSeed;
    private byte[] endpoints;
    private byte[] peerIds;
    private int[] ticks;
    private int[] index;
    private int size;
    private int mask;
    /** At most the smallest tick held: when it is above a selection's expiry, no tick is read. */
    private int oldestBound = Integer.MAX_VALUE;

    PeerTable(int addressLength, long hashSeed) {
        this.endpointLength = addressLength + 2;
        this.hashSeed = hashSeed;
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** Slots in the index (a power of two); up to three quarters of them are used. */
    int capacity() {
        return mask + 1;
    }

    /** The position of the peer with this endpoint, or -1. */
    int find(byte[] endpoint) {
        int slot = homeAt(endpoint, 0);
        int entry;
        while ((entry = index[slot]) != 0) {
            int at = (entry - 1) * endpointLength;
            if (Arrays.equals(endpoints, at, at + endpointLength, endpoint, 0, endpointLength)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Inserts a new peer (the caller checked it is absent) and returns its position. */
    int insert(byte[] endpoint, byte[] peerId, int tick) {
        if (size == ticks.length) {
            resize(capacity() * 2);
        }
        int position = size++;
        System.arraycopy(endpoint, 0, endpoints, position * endpointLength, endpointLength);
        System.arraycopy(peerId, 0, peerIds, position * PeerId.LENGTH, PeerId.LENGTH);
        ticks[position] = tick;
        oldestBound = Math.min(oldestBound, tick);
        link(position);
        return position;
    }

    /** Refreshes the peer at {@code position}; returns true if its peer id changed. */
    boolean refresh(int position, byte[] peerId, int tick) {
        ticks[position] = tick;
        oldestBound = Math.min(oldestBound, tick); // ticks only grow, unless the clock is set back
        int at = position * PeerId.LENGTH;
        if (Arrays.equals(peerIds, at, at + PeerId.LENGTH, peerId, 0, PeerId.LENGTH)) {
            return false;
        }
        System.arraycopy(peerId, 0, peerIds, at, PeerId.LENGTH);
        return true;
    }

    /** Removes the peer at {@code position}; the last peer takes its position. */
    void remove(int position) {
        unlink(indexSlotOf(position));
        int last = --size;
        if (position != last) {
            index[indexSlotOf(last)] = position + 1;
            System.arraycopy(endpoints, last * endpointLength, endpoints, position * endpointLength, endpointLength);
            System.arraycopy(peerIds, last * PeerId.LENGTH, peerIds, position * PeerId.LENGTH, PeerId.LENGTH);
            ticks[position] = ticks[last];
        }
    }

    int tickAt(int position) {
        return ticks[position];
    }

    /**
     * Copies up to {@code want} live peers, a fair random sample, to {@code out}. The candidates
     * (every peer but {@code skip}) are taken as a ring that starts at a random position and is cut
     * into {@code want} stretches of (nearly) equal length; one random peer is drawn from each. Every
     * peer is equally likely to be drawn, no peer twice, and the walk only goes forward through the
     * arrays, touching no more cache lines than the stretches cover. The cost is proportional to
     * {@code want}, never to the swarm's size, unless expired peers (not yet swept) fill a whole
     * stretch: then the first {@code want} live peers from the random start are taken instead.
     *
     * @param skip a position never to return (the requester), or -1
     * @param liveAfter peers whose tick is at most this have expired and are skipped
     * @return how many were copied
     */
    int select(RandomGenerator random, int want, int skip, int liveAfter, PeerSelection.Family out) {
        int candidates = size - (skip >= 0 ? 1 : 0);
        if (want <= 0 || candidates <= 0) {
            return 0;
        }
        int start = below(random, candidates);
        boolean allLive = oldestBound > liveAfter;
        if (want >= candidates) {
            return takeLive(start, candidates, skip, liveAfter, candidates, out);
        }
        int before = out.count();
        // stretch s ends at floor(s * candidates / want): its width is base or base + 1, the carry
        // deciding (no division per stretch; they were a fifth of this method's cost)
        int base = candidates / want;
        int extra = candidates % want;
        int carry = 0;
        int low = 0;
        for (int stretch = 1; stretch <= want; stretch++) {
            carry += extra;
            int width = base;
            if (carry >= want) {
                carry -= want;
                width++;
            }
            // a uniform draw in [0, width) as {@link #below} makes it, written out: the call was not inlined
            long m = Integer.toUnsignedLong(random.nextInt()) * width;
            if ((int) m + Integer.MIN_VALUE < width + Integer.MIN_VALUE) {
                m = redraw(random, width, m);
            }
            int drawn = low + (int) (m >>> 32);
            int position = positionOf(drawn, start, candidates, skip);
            if (!allLive && ticks[position] <= liveAfter) {
                position = liveInStretch(low, width, drawn, start, candidates, skip, liveAfter);
                if (position < 0) {
                    // a whole stretch expired and awaits the sweep: take the live ones in ring order
                    out.truncate(before);
                    return takeLive(start, candidates, skip, liveAfter, want, out);
                }
            }
            add(position, out);
            low += width;
        }
        return want;
    }

    /**
     * A uniform random int in {@code [0, bound)}, {@code bound > 0}, by multiplying a random 32-bit
     * value by the bound and keeping the high half (Lemire's method): exact, since the few low
     * halves that would favour some results are drawn again (see {@link #redraw}), and without the
     * division of {@code nextInt(bound)}.
     */
    static int below(RandomGenerator random, int bound) {
        long m = Integer.toUnsignedLong(random.nextInt()) * bound;
        if ((int) m + Integer.MIN_VALUE < bound + Integer.MIN_VALUE) {
            m = redraw(random, bound, m);
        }
        return (int) (m >>> 32);
    }

    /**
     * For a product {@code m} of {@link #below} whose low half is below the bound (about bound in
     * 2^32 draws): drawn again while the low half is below 2^32 mod bound, the values that would
     * favour some results; only here a division.
     */
    private static long redraw(RandomGenerator random, int bound, long m) {
        long threshold = (0x1_0000_0000L - bound) % bound;
        while ((m & 0xFFFF_FFFFL) < threshold) {
            m = Integer.toUnsignedLong(random.nextInt()) * bound;
        }
        return m;
    }

    /** The next live candidate after {@code drawn} within its stretch (wrapping inside it), or -1. */
    private int liveInStretch(int low, int width, int drawn, int start, int candidates, int skip, int liveAfter) {
        for (int i = 1; i < width; i++) {
            int candidate = low + (drawn - low + i) % width;
            int position = positionOf(candidate, start, candidates, skip);
            if (ticks[position] > liveAfter) {
                return position;
            }
        }
        return -1;
    }

    /** Up to {@code want} live candidates in ring order from {@code start}. */
    private int takeLive(int start, int candidates, int skip, int liveAfter, int want, PeerSelection.Family out) {
        int taken = 0;
        for (int i = 0; i < candidates && taken < want; i++) {
            int position = positionOf(i, start, candidates, skip);
            if (ticks[position] > liveAfter) {
                add(position, out);
                taken++;
            }
        }
        return taken;
    }

    /** The position of the {@code i}-th candidate of the ring that starts at {@code start} and leaves out {@code skip}. */
    private static int positionOf(int i, int start, int candidates, int skip) {
        int candidate = start + i;
        if (candidate >= candidates) {
            candidate -= candidates;
        }
        return skip >= 0 && candidate >= skip ? candidate + 1 : candidate;
    }

    private void add(int position, PeerSelection.Family out) {
        out.add(endpoints, position * endpointLength, peerIds, position * PeerId.LENGTH);
    }

    /** Removes every peer whose tick is at most {@code tick}; returns how many went. */
    int removeUpTo(int tick, RemovalSink sink) {
        int kept = 0;
        int oldest = Integer.MAX_VALUE;
        for (int position = 0; position < size; position++) {
            int t = ticks[position];
            if (t <= tick) {
                sink.removed(endpoints, position * endpointLength, endpointLength);
                continue;
            }
            if (kept != position) {
                System.arraycopy(endpoints, position * endpointLength, endpoints, kept * endpointLength, endpointLength);
                System.arraycopy(peerIds, position * PeerId.LENGTH, peerIds, kept * PeerId.LENGTH, PeerId.LENGTH);
                ticks[kept] = t;
            }
            oldest = Math.min(oldest, t);
            kept++;
        }
        oldestBound = oldest;
        int removed = size - kept;
        if (removed > 0) {
            size = kept;
            int wanted = MIN_CAPACITY;
            while (size * 4 > wanted * 3 || wanted < size * 2) {
                wanted <<= 1;
            }
            resize(Math.max(MIN_CAPACITY, Math.min(capacity(), wanted)));
        }
        return removed;
    }

    /** The smallest tick of any peer, or {@code Integer.MAX_VALUE} when empty. */
    int oldestTick() {
        int oldest = Integer.MAX_VALUE;
        for (int position = 0; position < size; position++) {
            oldest = Math.min(oldest, ticks[position]);
        }
        oldestBound = oldest;
        return oldest;
    }

    /** Calls {@code visitor} for each stored peer (for exports; not the announce path). */
    void forEach(PeerVisitor visitor) {
        for (int position = 0; position < size; position++) {
            int at = position * endpointLength;
            int id = position * PeerId.LENGTH;
            visitor.peer(Arrays.copyOfRange(endpoints, at, at + endpointLength),
                    Arrays.copyOfRange(peerIds, id, id + PeerId.LENGTH), ticks[position]);
        }
    }

    interface PeerVisitor {
        void peer(byte[] endpoint, byte[] peerId, int tick);
    }

    interface RemovalSink {
        RemovalSink NONE = (data, offset, length) -> { };

        void removed(byte[] data, int offset, int length);
    }

    /** New arrays for an index of {@code newCapacity} slots, the peers copied, the index rebuilt. */
    private void resize(int newCapacity) {
        int peers = newCapacity / 4 * 3;
        endpoints = Arrays.copyOf(endpoints, peers * endpointLength);
        peerIds = Arrays.copyOf(peerIds, peers * PeerId.LENGTH);
        ticks = Arrays.copyOf(ticks, peers);
        index = new int[newCapacity];
        mask = newCapacity - 1;
        for (int position = 0; position < size; position++) {
            link(position);
        }
    }

    private void allocate(int capacity) {
        int peers = capacity / 4 * 3;
        endpoints = new byte[peers * endpointLength];
        peerIds = new byte[peers * PeerId.LENGTH];
        ticks = new int[peers];
        index = new int[capacity];
        mask = capacity - 1;
    }

    /** Enters the peer at {@code position} in the index. */
    private void link(int position) {
        int slot = homeAt(endpoints, position * endpointLength);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = position + 1;
    }

    /** The index slot that points at {@code position}. */
    private int indexSlotOf(int position) {
        int slot = homeAt(endpoints, position * endpointLength);
        while (index[slot] != position + 1) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Empties an index slot, pulling later members of its probe run into the hole. */
    private void unlink(int hole) {
        index[hole] = 0;
        int next = (hole + 1) & mask;
        while (index[next] != 0) {
            int home = homeAt(endpoints, (index[next] - 1) * endpointLength);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                index[hole] = index[next];
                index[next] = 0;
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }

    private int homeAt(byte[] bytes, int offset) {
        long h = hashSeed;
        for (int i = 0; i < endpointLength; i++) {
            h = (h ^ (bytes[offset + i] & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
