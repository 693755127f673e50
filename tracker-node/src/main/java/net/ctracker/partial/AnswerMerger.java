package net.ctracker.partial;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import net.ctracker.swarm.PeerSelection;

/**
 * Joins a node's own answer to an announce with a cached sample of the swarm's peers announced
 * elsewhere. Rules (the "no islands" rule of the partial trackers):
 * <ul>
 * <li>when the node's own peers and the sample together fit in numwant, all of them go out;
 * <li>otherwise {@code randomShare} of numwant (rounded up) comes from the sample, drawn at random,
 *     and the node's own random choice is cut to make room;
 * <li>a leecher whose node knows no seeder gets the sample's seeders first; a seeder gets leechers
 *     first;
 * <li>the requester itself, expired records and peers already chosen are never added; when the cache holds the
 *     swarm's counts (of peers announced elsewhere), the answer's counts are those plus the node's own.
 * </ul>
 * O(numwant + sample), no sort of the swarm.
 */
final class AnswerMerger {

    private AnswerMerger() {
    }

    static void merge(PeerSelection selection, CachedSwarm sample, byte[] requester, boolean requesterSeeder,
                      int numwant, double randomShare, boolean countsFresh, long nowMillis, RandomGenerator random) {
        int localSeeders = selection.complete();
        if (sample.hasCounts() && countsFresh) {
            // the cached counts are of the peers announced elsewhere; this node's own are current
            selection.setCounts(sample.seederCount + selection.complete(), sample.leecherCount + selection.incomplete());
        }
        int n = sample.size();
        if (n == 0 || numwant <= 0) {
            return;
        }
        int local = selection.total();
        boolean v4First = requester.length == 6;
        int remote;
        if (local + n <= numwant) {
            remote = n;
        } else {
            int share = (int) Math.ceil(randomShare * numwant);
            remote = Math.min(n, Math.max(numwant - local, share));
            selection.keepAtMost(numwant - remote, v4First);
        }
        Boolean prefer = requesterSeeder ? Boolean.FALSE : localSeeders == 0 ? Boolean.TRUE : null;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int added = 0;
        // first pass: the preferred kind (or everyone), in random order; second pass: the rest
        for (int pass = 0; pass < (prefer == null ? 1 : 2) && added < remote; pass++) {
            for (int k = 0; k < n && added < remote; k++) {
                int j = k + random.nextInt(n - k);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
                int i = order[k];
                if (prefer != null && (sample.seeders[i] == prefer) != (pass == 0)) {
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
