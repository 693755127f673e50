package net.ctracker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;

import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmStore;

/**
 * Heap cost of the peer store: fills a {@link SwarmStore} with IPv4 peers (default 1,000,000 over
 * 100,000 swarms) and prints the retained heap per peer, measured after full collections, with the
 * empty store's heap subtracted. Run it with a stop-the-world collector (bench/memory.sh uses
 * SerialGC) so that "used after GC" is exact.
 *
 * <p>The population is skewed like a public tracker's: every swarm gets one peer, the rest land on
 * swarm {@code floor(S * u^2)} for uniform {@code u}, so a few swarms hold thousands of peers and
 * most hold a handful. 60% of peers are seeders. Addresses are random IPv4, ports random, peer ids
 * a client prefix plus random bytes; each peer announces once with {@code event=started}.
 *
 * <p>Arguments: {@code [peers] [swarms]}. Prints a line starting with {@code RESULT}.
 */
public final class StoreMemoryBenchmark {

    private StoreMemoryBenchmark() {
    }

    public static void main(String[] args) {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int swarms = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        if (swarms < 1 || peers < swarms) {
            throw new IllegalArgumentException("need peers >= swarms >= 1");
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long empty = usedAfterGc(memory);

        // the swarms' keys are made before the store's baseline and counted separately: the store
        // keeps the InfoHash of a swarm's first announce as its map key, so a node pays for them too
        SplittableRandom random = new SplittableRandom(20261125L);
        InfoHash[] hashes = new InfoHash[swarms];
        byte[] raw = new byte[InfoHash.LENGTH];
        for (int i = 0; i < swarms; i++) {
            random.nextBytes(raw);
            hashes[i] = InfoHash.of(raw);
        }
        long withHashes = usedAfterGc(memory);

        // caps well above the population: swarms are capped per stripe, and stripes fill unevenly
        StoreLimits limits = new StoreLimits(Duration.ofHours(1), Math.max(1_000_000, 4 * swarms), 1_000_000, 10L * peers);
        SwarmStore store = new SwarmStore(limits, System::currentTimeMillis, new SplittableRandom(7));
        PeerSelection selection = new PeerSelection(64);
        long baseline = usedAfterGc(memory);

        byte[] endpoint = new byte[6];
        byte[] peerId = new byte[20];
        byte[] prefix = "-qB4520-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, peerId, 0, prefix.length);
        byte[] idTail = new byte[20 - prefix.length];
        long start = System.nanoTime();
        for (int p = 0; p < peers; p++) {
            int swarm;
            if (p < swarms) {
                swarm = p;
            } else {
                double u = random.nextDouble();
                swarm = Math.min(swarms - 1, (int) (swarms * u * u));
            }
            random.nextBytes(endpoint);
            endpoint[0] = (byte) (1 + (endpoint[0] & 0x7f)); // keep away from 0.x.x.x
            random.nextBytes(idTail);
            System.arraycopy(idTail, 0, peerId, prefix.length, idTail.length);
            boolean seeder = random.nextInt(100) < 60;
            store.announce(hashes[swarm], endpoint, peerId, seeder ? 0 : 1L + random.nextInt(1 << 30),
                    AnnounceEvent.STARTED, 0, selection);
        }
        long fillNanos = System.nanoTime() - start;
        long filled = usedAfterGc(memory);

        long stored = store.peerCount();
        if (stored != peers || store.swarmCount() != swarms) {
            throw new IllegalStateException("the store evicted: " + store.swarmCount() + " swarms, " + stored + " peers");
        }
        long storeBytes = filled - baseline;
        long hashBytes = withHashes - empty;
        System.out.printf(Locale.ROOT, "store: %d swarms, %d peers (%d seeders, %d leechers), %d evicted; filled in %.1f s%n",
                store.swarmCount(), stored, store.seederCount(), store.leecherCount(), store.evictedPeers(),
                fillNanos / 1e9);
        System.out.printf(Locale.ROOT, "heap after GC: empty store %,d B, filled %,d B, store %,d B; the %d InfoHash keys %,d B%n",
                baseline, filled, storeBytes, swarms, hashBytes);
        System.out.printf(Locale.ROOT, "RESULT %.1f bytes/peer including the swarms' InfoHash keys (%.1f without), goal <= 150%n",
                (double) (storeBytes + hashBytes) / stored, (double) storeBytes / stored);
        java.lang.ref.Reference.reachabilityFence(store);
        java.lang.ref.Reference.reachabilityFence(hashes);
    }

    /** Heap in use after collections have stopped freeing anything. */
    private static long usedAfterGc(MemoryMXBean memory) {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            used = memory.getHeapMemoryUsage().getUsed();
            if (used >= previous) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
