package net.ctracker.partial;

import java.util.List;

import net.ctracker.partial.TrackerMessage.Answer;
import net.ctracker.partial.TrackerMessage.Entry;

/**
 * What this node last learned of a swarm from the cluster: a sample of peers announced elsewhere
 * (with when it was taken) and the swarm's counts from a full list (with when). Immutable but for
 * when a renewal was last asked, read by the announce threads without locks.
 */
final class CachedSwarm {

    static final long NEVER = Long.MIN_VALUE / 4;

    final long sampleAtMillis;
    final byte[][] endpoints;
    final byte[][] peerIds;
    final boolean[] seeders;
    final Origin[] origins;
    /** When each record expires (this node's clock): it is never handed out after that. */
    final long[] expiresAtMillis;
    final boolean fromHere;
    /** Records from this index on are a uniform sample of the swarm (the random share is drawn from them). */
    final int uniformFrom;
    final long countsAtMillis;
    final int seederCount;
    final int leecherCount;
    final long downloaded;
    /** When this node last asked for a renewal of this entry (the one mutable field: an answer replaces the entry). */
    final java.util.concurrent.atomic.AtomicLong renewAskedAtMillis = new java.util.concurrent.atomic.AtomicLong(NEVER);

    private CachedSwarm(long sampleAtMillis, byte[][] endpoints, byte[][] peerIds, boolean[] seeders, Origin[] origins,
                        long[] expiresAtMillis, boolean fromHere, int uniformFrom, long countsAtMillis, int seederCount,
                        int leecherCount, long downloaded) {
        this.uniformFrom = uniformFrom;
        this.sampleAtMillis = sampleAtMillis;
        this.endpoints = endpoints;
        this.peerIds = peerIds;
        this.seeders = seeders;
        this.origins = origins;
        this.expiresAtMillis = expiresAtMillis;
        this.fromHere = fromHere;
        this.countsAtMillis = countsAtMillis;
        this.seederCount = seederCount;
        this.leecherCount = leecherCount;
        this.downloaded = downloaded;
    }

    static final CachedSwarm EMPTY = new CachedSwarm(NEVER, new byte[0][], new byte[0][], new boolean[0], new Origin[0],
            new long[0], false, 0, NEVER, 0, 0, 0);

    int size() {
        return endpoints.length;
    }

    boolean hasSample() {
        return sampleAtMillis != NEVER;
    }

    boolean hasCounts() {
        return countsAtMillis != NEVER;
    }

    /** The entry after {@code answer} arrived at {@code nowMillis}: a new sample replaces the old, counts likewise. */
    CachedSwarm with(Answer answer, List<Origin> messageOrigins, boolean fromHere, long nowMillis) {
        byte[][] e = endpoints;
        byte[][] p = peerIds;
        boolean[] s = seeders;
        Origin[] o = origins;
        long[] x = expiresAtMillis;
        long sampleAt = sampleAtMillis;
        boolean here = this.fromHere;
        int uniform = uniformFrom;
        if (answer.hasPeers()) {
            int n = answer.records().size();
            e = new byte[n][];
            p = new byte[n][];
            s = new boolean[n];
            o = new Origin[n];
            x = new long[n];
            for (int i = 0; i < n; i++) {
                Entry r = answer.records().get(i);
                e[i] = r.endpoint();
                p[i] = r.peerId();
                s[i] = r.seeder();
                o[i] = messageOrigins.get(r.origin());
                x[i] = nowMillis + r.ttlSeconds() * 1000L;
            }
            sampleAt = nowMillis;
            here = fromHere;
            uniform = answer.uniformFrom();
        }
        if (answer.hasCounts()) {
            return new CachedSwarm(sampleAt, e, p, s, o, x, here, uniform, nowMillis, answer.seeders(), answer.leechers(),
                    Math.max(downloaded, answer.downloaded()));
        }
        return new CachedSwarm(sampleAt, e, p, s, o, x, here, uniform, countsAtMillis, seederCount, leecherCount, downloaded);
    }
}
