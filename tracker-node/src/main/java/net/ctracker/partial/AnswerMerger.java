package net.ctracker.partial;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.Bep40;
import net.ctracker.locality.Coordinate;
import net.ctracker.locality.IpCloseness;
import net.ctracker.locality.LocalityObserver;
import net.ctracker.swarm.PeerSelection;

/**
 * Joins a node's own answer to an announce with a cached sample of the swarm's peers announced
 * elsewhere, and ranks the result by closeness (BRIEF sections 2 and 3).
 *
 * <ul>
 * <li>When the node's own candidates and the sample together fit in numwant, all of them go out:
 *     no ranking for a swarm that holds no more peers than asked for.
 * <li>Otherwise {@code randomShare} of numwant (rounded up) is drawn at random from the sample's
 *     uniform part (the answerer ranks the rest of its sample for the requester), so every answer
 *     represents the whole swarm (no islands); a leecher whose node knows no seeder gets the
 *     sample's seeders first, a seeder leechers first.
 * <li>The rest are the best of the node's own candidates and the remaining sample, ranked: same node
 *     first; then the requester's region ({@code ctracker.region} of the node where the peer
 *     announced); then the lowest predicted RTT between the requester's node and the peer's
 *     (network coordinates); then IP closeness of requester and peer (the same network of the
 *     operator's ALTO map, the map's cost, else the longest common prefix); then BEP 40 priority.
 *     Without ranking the node's own random choice is cut to make room instead.
 * <li>Never the requester, never a duplicate, never an expired record; when the cache holds the
 *     swarm's counts (of peers announced elsewhere), the answer's counts are those plus the node's own.
 * </ul>
 * Costs O(numwant + sample): the candidates are the node's own draw (at most a few times numwant)
 * and the sample, told apart by a hash of their endpoints; the best are found among packed 64-bit
 * keys by a quickselect (only the node's own when they fill the ranked part), never a sort of the
 * swarm; nothing is allocated per candidate.
 */
final class AnswerMerger {

    /** What ranking needs: this node as the peers' reference point, the ISP map, who counts. */
    record Ranking(Origin self, AltoMaps maps, LocalityObserver observer, boolean observe) {
    }

    private static final int MAX_CANDIDATES = 1 << 10;

    private AnswerMerger() {
    }

    static void merge(PeerSelection selection, CachedSwarm sample, byte[] requester, boolean requesterSeeder,
                      int numwant, double randomShare, boolean countsFresh, long nowMillis, RandomGenerator random,
                      Ranking ranking) {
        int localSeeders = selection.complete();
        if (sample.hasCounts() && countsFresh) {
            // the cached counts are of the peers announced elsewhere; this node's own are current
            selection.setCounts(sample.seederCount + selection.complete(), sample.leecherCount + selection.incomplete());
        }
        if (ranking == null) {
            mergeRandom(selection, sample, requester, requesterSeeder, numwant, randomShare, localSeeders, nowMillis, random);
        } else if (sample.size() == 0 && selection.total() <= MAX_CANDIDATES) {
            rankOwn(selection, requester, numwant, ranking);
        } else {
            mergeRanked(selection, sample, requester, requesterSeeder, numwant, randomShare, localSeeders, nowMillis,
                    random, ranking);
        }
    }

    /** Without ranking: the node's own random choice, cut to leave the random share to the sample. */
    private static void mergeRandom(PeerSelection selection, CachedSwarm sample, byte[] requester, boolean requesterSeeder,
                                    int numwant, double randomShare, int localSeeders, long nowMillis, RandomGenerator random) {
        int n = sample.size();
        if (n == 0 || numwant <= 0) {
            selection.keepAtMost(numwant, requester.length == 6);
            return;
        }
        int local = Math.min(selection.total(), numwant);
        int remote;
        if (local + n <= numwant) {
            remote = n;
        } else {
            int share = (int) Math.ceil(randomShare * numwant);
            remote = Math.min(n, Math.max(numwant - local, share));
        }
        selection.keepAtMost(numwant - remote, requester.length == 6);
        int[] order = identity(SCRATCH.get().order(n), n);
        addRandom(selection, sample, order, n, remote, preference(requesterSeeder, localSeeders), requester, nowMillis, random,
                null);
    }

    private static void mergeRanked(PeerSelection selection, CachedSwarm sample, byte[] requester, boolean requesterSeeder,
                                    int numwant, double randomShare, int localSeeders, long nowMillis, RandomGenerator random,
                                    Ranking ranking) {
        // the candidates: this node's own draw, then the sample's live records that are new; each is
        // an endpoint and a peer id at an offset of an array (the node's own are copied once, as a block)
        int local = Math.min(selection.total(), MAX_CANDIDATES);
        // the node's own peers are distinct already (the store draws no peer twice): only a sample needs telling apart
        boolean dedupe = sample.size() > 0;
        Candidates cs = SCRATCH.get().reset(local + sample.size(), dedupe);
        int count = 0;
        for (int family = 0; family < 2; family++) {
            PeerSelection.Family f = family == 0 ? selection.v4() : selection.v6();
            int len = f.endpointLength();
            int take = Math.min(f.count(), local - count);
            if (take <= 0) {
                continue;
            }
            byte[] endpoints = cs.ownEndpoints(family, f.endpoints(), take * len);
            byte[] ids = selection.withPeerIds() ? cs.ownPeerIds(family, f.peerIds(), take * 20) : f.peerIds();
            for (int i = 0; i < take; i++) {
                cs.set(count, endpoints, i * len, len, ids, i * 20, -1);
                if (!dedupe || cs.admit(count)) {
                    count++;
                }
            }
        }
        int localCount = count;
        for (int i = 0; i < sample.size() && count < MAX_CANDIDATES; i++) {
            byte[] e = sample.endpoints[i];
            if (sample.expiresAtMillis[i] <= nowMillis || Arrays.equals(e, requester)) {
                continue;
            }
            cs.set(count, e, 0, e.length, sample.peerIds[i], 0, i);
            if (cs.admit(count)) {
                count++;
            }
        }
        int[] remoteIndex = cs.remoteIndex;
        int remoteCount = count - localCount;
        boolean[] taken = cs.taken(count);
        int[] chosen = cs.chosen(Math.min(count, Math.max(0, numwant)));
        int picked = 0;
        if (count <= numwant) {
            // the swarm holds no more than asked for: everyone, no ranking
            for (int c = 0; c < count; c++) {
                chosen[picked++] = c;
            }
        } else {
            // the random share from the sample's uniform part, drawn first so that ranking cannot take it
            int uniform = 0;
            for (int r = 0; r < remoteCount; r++) {
                uniform += remoteIndex[localCount + r] >= sample.uniformFrom ? 1 : 0;
            }
            boolean all = uniform == 0; // an answer without a uniform part: draw from all of it
            int pool = all ? remoteCount : uniform;
            int share = Math.min(pool, (int) Math.ceil(randomShare * numwant));
            Boolean prefer = preference(requesterSeeder, localSeeders);
            int[] order = cs.order(pool);
            int o = 0;
            for (int r = 0; r < remoteCount; r++) {
                if (all || remoteIndex[localCount + r] >= sample.uniformFrom) {
                    order[o++] = localCount + r;
                }
            }
            remoteCount = pool;
            int reserved = 0;
            int[] randomPicks = cs.randomPicks(share);
            for (int pass = 0; pass < (prefer == null ? 1 : 2) && reserved < share; pass++) {
                for (int k = 0; k < remoteCount && reserved < share; k++) {
                    int j = k + random.nextInt(remoteCount - k);
                    int t = order[k];
                    order[k] = order[j];
                    order[j] = t;
                    int c = order[k];
                    if (taken[c] || (prefer != null && (sample.seeders[remoteIndex[c]] == prefer) != (pass == 0))) {
                        continue;
                    }
                    taken[c] = true;
                    randomPicks[reserved++] = c;
                }
            }
            // the rest by rank
            int best = numwant - reserved;
            long[] keys = cs.keys(count - reserved);
            int n = 0;
            Coordinate here = ranking.self().coordinate();
            Keys k = cs.keysFor(ranking, requester);
            // the node's own peers rank first (same node); when they fill the ranked part, a peer from
            // elsewhere can only be handed out in the random share, and its rank is not computed
            boolean ownFill = localCount >= best;
            for (int c = 0; c < count; c++) {
                Origin origin = remoteIndex[c] < 0 ? null : sample.origins[remoteIndex[c]];
                if (taken[c] || (ownFill && origin != null && !origin.key().equals(ranking.self().key()))) {
                    continue;
                }
                keys[n++] = k.of(c, origin, here, cs.endpoints[c], cs.endpointOffsets[c], cs.endpointLengths[c]);
            }
            smallestFirst(keys, n, Math.min(best, n));
            for (int i = 0; i < Math.min(best, n); i++) {
                chosen[picked++] = (int) (keys[i] & (MAX_CANDIDATES - 1));
            }
            for (int i = 0; i < reserved; i++) {
                chosen[picked++] = randomPicks[i];
            }
        }
        if (ranking.observe() && picked > 0) {
            observe(ranking, chosen, picked, count, sample, remoteIndex, random);
        }
        selection.keepAtMost(0, true);
        for (int i = 0; i < picked; i++) {
            int c = chosen[i];
            selection.addDistinct(cs.endpoints[c], cs.endpointOffsets[c], cs.endpointLengths[c], cs.peerIds[c], cs.peerIdOffsets[c]);
        }
    }

    /**
     * Ranking when every candidate is the node's own (no sample: a node alone, or a swarm nobody
     * else has announced to): all of the same node, so only IP closeness and BEP 40 tell them apart.
     * The same choice as {@link #mergeRanked} makes for them, with the keys computed on the
     * selection's own arrays and the best gathered to its front, nothing copied out and back.
     */
    private static void rankOwn(PeerSelection selection, byte[] requester, int numwant, Ranking ranking) {
        int count = selection.total();
        int picked = Math.min(count, Math.max(0, numwant));
        if (count > picked) {
            Candidates cs = SCRATCH.get();
            long[] keys = cs.keys(count);
            int n = 0;
            if (requester.length == 6 && selection.v6().count() == 0 && ranking.maps().isEmpty()) {
                n = ownKeysV4(keys, selection.v4(), requester);
            } else {
                Keys k = cs.keysFor(ranking, requester);
                Coordinate here = ranking.self().coordinate();
                for (int family = 0; family < 2; family++) {
                    PeerSelection.Family f = family == 0 ? selection.v4() : selection.v6();
                    int len = f.endpointLength();
                    byte[] endpoints = f.endpoints();
                    for (int i = 0; i < f.count(); i++) {
                        keys[n] = k.of(n, null, here, endpoints, i * len, len);
                        n++;
                    }
                }
            }
            smallestFirst(keys, n, picked);
            // the chosen gathered to the front: half the moves of marking them and keeping the marked
            int[] chosen = cs.chosen(picked);
            for (int i = 0; i < picked; i++) {
                chosen[i] = (int) (keys[i] & (MAX_CANDIDATES - 1));
            }
            selection.retain(chosen, picked);
        }
        if (ranking.observe() && picked > 0) {
            // every peer handed out and every random choice among them is of this node: RTT 0, same region
            ranking.observer().answered(picked, picked, 0, 0);
        }
    }

    /**
     * The common case of {@link #rankOwn} written out, IPv4 without a map: no origin, tier or
     * family to test per candidate. A method of its own, so that the JIT compiles the loop with its
     * own profile: inlined into the announce path, it was compiled while the node's first swarms
     * were too small to rank, and its calls were left out of line as rarely executed.
     */
    private static int ownKeysV4(long[] keys, PeerSelection.Family f, byte[] requester) {
        byte[] endpoints = f.endpoints();
        int client = Bep40.ipv4(requester, 0);
        int clientPort = Bep40.port(requester, 0);
        int n = f.count();
        for (int i = 0; i < n; i++) {
            keys[i] = Keys.ownV4(i, client, clientPort, Bep40.ipv4(endpoints, i * 6), Bep40.port(endpoints, i * 6));
        }
        return n;
    }

    /**
     * Moves the {@code k} smallest of {@code keys[0..n)} (distinct values) to the front, in no
     * particular order (an answer is a set of peers): a quickselect with a median-of-three pivot
     * and a partition without data-dependent branches (every element is swapped, the boundary moves
     * by the comparison's 0 or 1), since with keys in random order a branching partition mispredicts
     * about every other comparison. Sorting all the candidates to keep numwant of them was a fifth of
     * a clustered node's CPU per announce; sorting the {@code k} kept, 6% of a lone node's per UDP
     * announce, and the branching partition 8% after that.
     */
    static void smallestFirst(long[] keys, int n, int k) {
        int lo = 0;
        int hi = n; // the k-th smallest is in keys[lo..hi), everything before lo is smaller
        while (k > lo && k < hi) {
            int last = hi - 1;
            int mid = (lo + last) >>> 1;
            // the median of three goes to the end as the pivot
            if (keys[mid] < keys[lo]) {
                swap(keys, mid, lo);
            }
            if (keys[last] < keys[lo]) {
                swap(keys, last, lo);
            }
            if (keys[mid] < keys[last]) {
                swap(keys, mid, last);
            }
            long pivot = keys[last];
            int store = lo;
            for (int i = lo; i < last; i++) {
                long v = keys[i];
                keys[i] = keys[store];
                keys[store] = v;
                store += v < pivot ? 1 : 0;
            }
            keys[last] = keys[store];
            keys[store] = pivot;
            // keys[lo..store) < pivot = keys[store] < keys(store..hi)
            if (k <= store) {
                hi = store;
            } else {
                lo = store + 1;
            }
        }
    }

    private static void swap(long[] keys, int i, int j) {
        long t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
    }

    /** Each announce thread's candidates and working arrays, reused from answer to answer. */
    private static final ThreadLocal<Candidates> SCRATCH = ThreadLocal.withInitial(Candidates::new);

    /**
     * The candidates of one answer, each an endpoint and a peer id at offsets of arrays, told apart
     * by a hash; with the working arrays of the merge. One per thread, reset for every answer, so an
     * answer allocates nothing that grows with its candidates (the arrays grow once, to the largest
     * answer the thread has merged: at most {@code MAX_CANDIDATES} plus a sample).
     */
    private static final class Candidates {
        byte[][] endpoints = new byte[0][];
        int[] endpointOffsets = new int[0];
        int[] endpointLengths = new int[0];
        byte[][] peerIds = new byte[0][];
        int[] peerIdOffsets = new int[0];
        int[] remoteIndex = new int[0];
        /** Open addressing over candidate indices plus one, keyed by the endpoint's bytes; the first {@code tableSize} slots are in use. */
        private int[] seen = new int[0];
        private int tableSize;
        private final byte[][] ownEndpoints = {new byte[0], new byte[0]};
        private final byte[][] ownPeerIds = {new byte[0], new byte[0]};
        private boolean[] taken = new boolean[0];
        private int[] chosen = new int[0];
        private int[] order = new int[0];
        private int[] randomPicks = new int[0];
        private long[] keys = new long[0];
        private final Keys rankKeys = new Keys();

        /** Makes room for {@code capacity} candidates; clears the endpoint table only when it will be used. */
        Candidates reset(int capacity, boolean dedupe) {
            if (endpoints.length < capacity) {
                int n = Math.max(16, Integer.highestOneBit(capacity) << 1);
                endpoints = new byte[n][];
                endpointOffsets = new int[n];
                endpointLengths = new int[n];
                peerIds = new byte[n][];
                peerIdOffsets = new int[n];
                remoteIndex = new int[n];
            }
            if (!dedupe) {
                tableSize = 0;
                return this;
            }
            tableSize = Integer.highestOneBit(Math.max(1, capacity) * 2) * 2; // at most half full
            if (seen.length < tableSize) {
                seen = new int[tableSize];
            } else {
                Arrays.fill(seen, 0, tableSize, 0);
            }
            return this;
        }

        /** A copy of the first {@code length} bytes of the node's own endpoints of one family (the selection is rewritten later). */
        byte[] ownEndpoints(int family, byte[] from, int length) {
            return ownEndpoints[family] = copyInto(ownEndpoints[family], from, length);
        }

        byte[] ownPeerIds(int family, byte[] from, int length) {
            return ownPeerIds[family] = copyInto(ownPeerIds[family], from, length);
        }

        private static byte[] copyInto(byte[] to, byte[] from, int length) {
            byte[] out = to.length >= length ? to : new byte[Math.max(length, from.length)];
            System.arraycopy(from, 0, out, 0, length);
            return out;
        }

        boolean[] taken(int n) {
            if (taken.length < n) {
                taken = new boolean[Math.max(n, endpoints.length)];
            } else {
                Arrays.fill(taken, 0, n, false);
            }
            return taken;
        }

        int[] chosen(int n) {
            return chosen = chosen.length >= n ? chosen : new int[Math.max(n, endpoints.length)];
        }

        int[] order(int n) {
            return order = order.length >= n ? order : new int[Math.max(n, endpoints.length)];
        }

        int[] randomPicks(int n) {
            return randomPicks = randomPicks.length >= n ? randomPicks : new int[Math.max(n, endpoints.length)];
        }

        long[] keys(int n) {
            return keys = keys.length >= n ? keys : new long[Math.max(n, endpoints.length)];
        }

        Keys keysFor(Ranking ranking, byte[] requester) {
            return rankKeys.reset(ranking, requester);
        }

        void set(int c, byte[] endpoint, int offset, int length, byte[] peerId, int peerIdOffset, int remote) {
            endpoints[c] = endpoint;
            endpointOffsets[c] = offset;
            endpointLengths[c] = length;
            peerIds[c] = peerId;
            peerIdOffsets[c] = peerIdOffset;
            remoteIndex[c] = remote;
        }

        /**
         * Records candidate {@code c} unless an equal endpoint is there already; true if it was new.
         * (Comparing every sampled record with every local one cost a quarter of a clustered node's
         * CPU per announce.)
         */
        boolean admit(int c) {
            byte[] e = endpoints[c];
            int from = endpointOffsets[c];
            int to = from + endpointLengths[c];
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + e[i];
            }
            int mask = tableSize - 1;
            for (int slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
                int held = seen[slot] - 1;
                if (held < 0) {
                    seen[slot] = c + 1;
                    return true;
                }
                if (Arrays.equals(endpoints[held], endpointOffsets[held], endpointOffsets[held] + endpointLengths[held], e, from, to)) {
                    return false;
                }
            }
        }
    }

    /** Packs candidates' ranks for one requester, reusing its buffers across candidates and answers. */
    static final class Keys {
        private Ranking ranking;
        private byte[] requester;
        private byte[] requesterIp;
        private byte[] peerIp;
        private final byte[] ip4 = new byte[4];
        private final byte[] ip16 = new byte[16];
        private final byte[] peerIp4 = new byte[4];
        private final byte[] peerIp16 = new byte[16];
        private final Bep40.Priorities priorities = new Bep40.Priorities();
        private boolean noMap;
        /** An IPv4 requester's address and port as ints. */
        private int requesterV4;
        private int requesterPort;

        Keys reset(Ranking ranking, byte[] requester) {
            this.ranking = ranking;
            this.noMap = ranking.maps().isEmpty();
            this.requester = requester;
            boolean v4 = requester.length == 6;
            requesterIp = v4 ? ip4 : ip16;
            peerIp = v4 ? peerIp4 : peerIp16;
            System.arraycopy(requester, 0, requesterIp, 0, requesterIp.length);
            if (v4) {
                requesterV4 = Bep40.ipv4(requester, 0);
                requesterPort = Bep40.port(requester, 0);
            }
            return this;
        }

        /**
         * {@link #of}'s key for IPv4 without a map and a peer of this node (tier 0, RTT 0), on ints:
         * the common prefix of the two addresses (the general rule's 512 + bits not shared) and
         * BEP 40 from one XOR.
         */
        static long ownV4(int index, int client, int clientPort, int peer, int peerPort) {
            long ip = 512 + 32 - Integer.numberOfLeadingZeros(client ^ peer);
            long bep = (0xFFFF_FFFFL - Bep40.priorityV4(client, clientPort, peer, peerPort)) >>> 10;
            return ip << 32 | bep << 10 | index;
        }

        /**
         * The rank of one candidate as a packed key, lower first: [0][tier:2][rtt:19][ip:10][bep40:22][index:10].
         * Tier 0 same node, 1 same region, 2 elsewhere; RTT in units of 0.02 ms (same node: 0).
         */
        long of(int index, Origin origin, Coordinate here, byte[] endpoint, int offset, int length) {
            long tier;
            long rtt;
            if (origin == null || origin.key().equals(ranking.self().key())) {
                tier = 0;
                rtt = 0;
            } else {
                tier = origin.region().equals(ranking.self().region()) ? 1 : 2;
                double ms = here.rttMillisTo(origin.coordinate());
                rtt = Double.isNaN(ms) ? (1 << 19) - 1 : Math.min((1 << 19) - 1, (long) (ms * 50));
            }
            long ip;
            long bep;
            if (length == 6 && requester.length == 6 && noMap) {
                return tier << 61 | rtt << 42
                        | ownV4(index, requesterV4, requesterPort, Bep40.ipv4(endpoint, offset), Bep40.port(endpoint, offset));
            } else if (length == requester.length) {
                double d;
                if (noMap) {
                    d = IpCloseness.prefixDistance(requester, endpoint, offset, peerIp.length);
                } else {
                    System.arraycopy(endpoint, offset, peerIp, 0, peerIp.length);
                    d = IpCloseness.distance(ranking.maps(), requesterIp, peerIp);
                }
                ip = d == 0 ? 0 : d < 1e9 ? 1 + Math.min(510, (long) d) : 512 + Math.min(511, (long) (d - 1e9));
                bep = (0xFFFF_FFFFL - priorities.of(requester, endpoint, offset)) >>> 10;
            } else {
                ip = 1023;
                bep = (1 << 22) - 1;
            }
            return tier << 61 | rtt << 42 | ip << 32 | bep << 10 | index;
        }
    }

    private static void observe(Ranking ranking, int[] chosen, int picked, int count, CachedSwarm sample, int[] remoteIndex,
                                RandomGenerator random) {
        Coordinate here = ranking.self().coordinate();
        double[] handed = new double[picked];
        int sameRegion = 0;
        for (int i = 0; i < picked; i++) {
            Origin o = remoteIndex[chosen[i]] < 0 ? null : sample.origins[remoteIndex[chosen[i]]];
            handed[i] = rttOf(o, ranking, here);
            if (o == null || o.region().equals(ranking.self().region())) {
                sameRegion++;
            }
        }
        // a random choice of as many among the same candidates
        int[] order = identity(new int[count], count);
        double[] randomRtt = new double[picked];
        for (int i = 0; i < picked; i++) {
            int j = i + random.nextInt(count - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            Origin o = remoteIndex[order[i]] < 0 ? null : sample.origins[remoteIndex[order[i]]];
            randomRtt[i] = rttOf(o, ranking, here);
        }
        ranking.observer().answered(picked, sameRegion, median(handed), median(randomRtt));
    }

    private static double rttOf(Origin o, Ranking ranking, Coordinate here) {
        return o == null || o.key().equals(ranking.self().key()) ? 0 : here.rttMillisTo(o.coordinate());
    }

    /** Median of the known values, NaN if none. */
    static double median(double[] values) {
        double[] known = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                known[n++] = v;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(known, 0, n);
        return n % 2 == 1 ? known[n / 2] : (known[n / 2 - 1] + known[n / 2]) / 2;
    }

    private static Boolean preference(boolean requesterSeeder, int localSeeders) {
        return requesterSeeder ? Boolean.FALSE : localSeeders == 0 ? Boolean.TRUE : null;
    }

    /** {@code order[0..n)} set to 0, 1, ..., n-1; returns {@code order}. */
    private static int[] identity(int[] order, int n) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Adds up to {@code want} of the sample in random order (the preferred kind first). */
    private static void addRandom(PeerSelection selection, CachedSwarm sample, int[] order, int n, int want, Boolean prefer,
                                  byte[] requester, long nowMillis, RandomGenerator random, boolean[] skip) {
        int added = 0;
        for (int pass = 0; pass < (prefer == null ? 1 : 2) && added < want; pass++) {
            for (int k = 0; k < n && added < want; k++) {
                int j = k + random.nextInt(n - k);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
                int i = order[k];
                if ((skip != null && skip[i]) || (prefer != null && (sample.seeders[i] == prefer) != (pass == 0))) {
                    continue;
                }
                byte[] e = sample.endpoints[i];
                if (sample.expiresAtMillis[i] <= nowMillis || Arrays.equals(e, requester)) {
                    continue;
                }
                if (selection.add(e, 0, e.length, sample.peerIds[i], 0)) {
                    added++;
                }
            }
        }
    }
}
