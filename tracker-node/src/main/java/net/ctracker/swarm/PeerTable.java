package net.ctracker.swarm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One address family's seeders or leechers of one swarm: an open-addressing hash table over
 * primitive arrays, keyed by the compact endpoint (address then big-endian port, BEP 23 form).
 *
 * <p>Each slot holds the endpoint and the 20-byte peer id in {@code data}, and the tick of the last
 * announce in {@code seen} (0 marks an empty slot). Linear probing with backward-shift deletion, so
 * there are no tombstones. About 30 bytes a slot for IPv4, which is what keeps a million peers in a
 * few tens of megabytes. Not thread-safe: the owning store guards it with the swarm's stripe lock.
 */
final class PeerTable {

    private static final int MIN_CAPACITY = 4;

    private final int endpointLength;
    private final int stride;
    private final long hashSeed;
    private byte[] data;
    private int[] seen;
    private int size;
    private int mask;

    PeerTable(int addressLength, long hashSeed) {
        this.endpointLength = addressLength + 2;
        this.stride = endpointLength + PeerId.LENGTH;
        this.hashSeed = hashSeed;
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    int capacity() {
        return mask + 1;
    }

    /** The slot holding this endpoint, or -1. */
    int find(byte[] endpoint) {
        int slot = home(endpoint);
        while (seen[slot] != 0) {
            if (sameEndpoint(slot, endpoint)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Inserts a new peer (the caller checked it is absent) and returns its slot. */
    int insert(byte[] endpoint, byte[] peerId, int tick) {
        if ((size + 1) * 4 > capacity() * 3) {
            rehash(capacity() * 2);
        }
        int slot = home(endpoint);
        while (seen[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        int at = slot * stride;
        System.arraycopy(endpoint, 0, data, at, endpointLength);
        System.arraycopy(peerId, 0, data, at + endpointLength, PeerId.LENGTH);
        seen[slot] = tick;
        size++;
        return slot;
    }

    /** Refreshes an existing slot; returns true if the peer id changed. */
    boolean refresh(int slot, byte[] peerId, int tick) {
        seen[slot] = tick;
        int at = slot * stride + endpointLength;
        if (Arrays.equals(data, at, at + PeerId.LENGTH, peerId, 0, PeerId.LENGTH)) {
            return false;
        }
        System.arraycopy(peerId, 0, data, at, PeerId.LENGTH);
        return true;
    }

    void remove(int slot) {
        seen[slot] = 0;
        size--;
        // backward-shift: pull later members of the probe run into the hole
        int hole = slot;
        int next = (hole + 1) & mask;
        while (seen[next] != 0) {
            int home = homeOfSlot(next);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(data, next * stride, data, hole * stride, stride);
                seen[hole] = seen[next];
                seen[next] = 0;
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }

    int tickAt(int slot) {
        return seen[slot];
    }

    /**
     * Visits up to {@code want} live peers in a random order and copies them to {@code out}.
     * A random start and a random odd step walk a power-of-two table as a permutation, so the cost
     * is proportional to {@code want / load}, never to the swarm's size.
     *
     * @param skipSlot a slot never to return (the requester), or -1
     * @param liveAfter peers whose tick is at most this have expired and are skipped
     * @return how many were copied
     */
    int select(RandomGenerator random, int want, int skipSlot, int liveAfter, PeerSelection.Family out) {
        int available = size - (skipSlot >= 0 ? 1 : 0);
        if (want <= 0 || available <= 0) {
            return 0;
        }
        int capacity = capacity();
        int slot = random.nextInt(capacity);
        int step = random.nextInt(capacity) | 1;
        int taken = 0;
        for (int visited = 0; visited < capacity && taken < want && taken < available; visited++) {
            int tick = seen[slot];
            if (tick != 0 && tick > liveAfter && slot != skipSlot) {
                out.add(data, slot * stride, data, slot * stride + endpointLength);
                taken++;
            }
            slot = (slot + step) & mask;
        }
        return taken;
    }

    /** Removes every peer whose tick is at most {@code tick}; returns how many went. */
    int removeUpTo(int tick, RemovalSink sink) {
        int removed = 0;
        for (int slot = 0; slot < capacity(); slot++) {
            if (seen[slot] != 0 && seen[slot] <= tick) {
                sink.removed(data, slot * stride, endpointLength);
                seen[slot] = 0;
                removed++;
            }
        }
        if (removed > 0) {
            size -= removed;
            int wanted = MIN_CAPACITY;
            while (size * 4 > wanted * 3 || wanted < size * 2) {
                wanted <<= 1;
            }
            rehash(Math.max(MIN_CAPACITY, Math.min(capacity(), wanted)));
        }
        return removed;
    }

    /** The smallest tick of any peer, or {@code Integer.MAX_VALUE} when empty. */
    int oldestTick() {
        int oldest = Integer.MAX_VALUE;
        for (int t : seen) {
            if (t != 0 && t < oldest) {
                oldest = t;
            }
        }
        return oldest;
    }

    /** Calls {@code visitor} for each stored peer (for exports; not the announce path). */
    void forEach(PeerVisitor visitor) {
        for (int slot = 0; slot < capacity(); slot++) {
            if (seen[slot] != 0) {
                int at = slot * stride;
                visitor.peer(Arrays.copyOfRange(data, at, at + endpointLength),
                        Arrays.copyOfRange(data, at + endpointLength, at + stride), seen[slot]);
            }
        }
    }

    interface PeerVisitor {
        void peer(byte[] endpoint, byte[] peerId, int tick);
    }

    interface RemovalSink {
        RemovalSink NONE = (data, offset, length) -> { };

        void removed(byte[] data, int offset, int length);
    }

    private void rehash(int newCapacity) {
        byte[] oldData = data;
        int[] oldSeen = seen;
        allocate(newCapacity);
        for (int slot = 0; slot < oldSeen.length; slot++) {
            if (oldSeen[slot] != 0) {
                int target = homeAt(oldData, slot * stride);
                while (seen[target] != 0) {
                    target = (target + 1) & mask;
                }
                System.arraycopy(oldData, slot * stride, data, target * stride, stride);
                seen[target] = oldSeen[slot];
            }
        }
    }

    private void allocate(int capacity) {
        data = new byte[capacity * stride];
        seen = new int[capacity];
        mask = capacity - 1;
    }

    private boolean sameEndpoint(int slot, byte[] endpoint) {
        int at = slot * stride;
        return Arrays.equals(data, at, at + endpointLength, endpoint, 0, endpointLength);
    }

    private int home(byte[] endpoint) {
        return homeAt(endpoint, 0);
    }

    private int homeOfSlot(int slot) {
        return homeAt(data, slot * stride);
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
