package net.ctracker.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SwarmStoreTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final PeerSelection out = new PeerSelection(1000);

    private SwarmStore store(int maxSwarms, int maxPerSwarm, long maxPeers) {
        return new SwarmStore(new StoreLimits(Duration.ofSeconds(60), maxSwarms, maxPerSwarm, maxPeers),
                now::get, new SplittableRandom(1));
    }

    private SwarmStore store() {
        return store(1000, 1000, 100_000);
    }

    static InfoHash hash(int n) {
        return InfoHash.of(ByteBuffer.allocate(20).putInt(n).array());
    }

    static byte[] v4(int host, int port) {
        return ByteBuffer.allocate(6).putInt(0x0a000000 | host).putShort((short) port).array();
    }

    static byte[] v6(int host, int port) {
        return ByteBuffer.allocate(18).putLong(0x20010db8_00000000L).putLong(host).putShort((short) port).array();
    }

    static byte[] id(int n) {
        return ByteBuffer.allocate(20).putInt(n).array();
    }

    private Set<String> endpoints(PeerSelection.Family f) {
        Set<String> set = new HashSet<>();
        for (int i = 0; i < f.count(); i++) {
            set.add(java.util.HexFormat.of().formatHex(f.endpoints(), i * f.endpointLength(), (i + 1) * f.endpointLength()));
        }
        return set;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Test
    void returnsOtherPeersButNeverTheRequester() {
        SwarmStore store = store();
        for (int i = 1; i <= 5; i++) {
            store.announce(hash(1), v4(i, 6881), id(i), 100, AnnounceEvent.STARTED, 50, out);
        }
        store.announce(hash(1), v4(3, 6881), id(3), 100, AnnounceEvent.NONE, 50, out);
        assertThat(out.incomplete()).isEqualTo(5);
        assertThat(endpoints(out.v4())).hasSize(4).doesNotContain(hex(v4(3, 6881)));
    }

    @Test
    void sameAddressDifferentPortIsADifferentPeer() {
        SwarmStore store = store();
        store.announce(hash(1), v4(1, 1000), id(1), 5, AnnounceEvent.STARTED, 50, out);
        store.announce(hash(1), v4(1, 1001), id(1), 5, AnnounceEvent.STARTED, 50, out);
        assertThat(out.incomplete()).isEqualTo(2);
        assertThat(endpoints(out.v4())).containsExactly(hex(v4(1, 1000)));
    }

    @Test
    void aSeederGetsLeechersFirst() {
        SwarmStore store = store();
        for (int i = 0; i < 30; i++) {
            store.announce(hash(1), v4(i, 1), id(i), 0, AnnounceEvent.STARTED, 0, out);
        }
        for (int i = 100; i < 105; i++) {
            store.announce(hash(1), v4(i, 1), id(i), 7, AnnounceEvent.STARTED, 0, out);
        }
        store.announce(hash(1), v4(0, 1), id(0), 0, AnnounceEvent.NONE, 5, out);
        assertThat(endpoints(out.v4())).containsExactlyInAnyOrder(
                hex(v4(100, 1)), hex(v4(101, 1)), hex(v4(102, 1)), hex(v4(103, 1)), hex(v4(104, 1)));
        assertThat(out.complete()).isEqualTo(30);
        assertThat(out.incomplete()).isEqualTo(5);
    }

    @Test
    void stoppedRemovesThePeerAndCompletedCountsOnce() {
        SwarmStore store = store();
        store.announce(hash(1), v4(1, 1), id(1), 10, AnnounceEvent.STARTED, 50, out);
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.COMPLETED, 50, out);
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.COMPLETED, 50, out);
        store.announce(hash(1), v4(2, 1), id(2), 0, AnnounceEvent.COMPLETED, 50, out); // started as seeder: counts once
        assertThat(store.scrape(hash(1))).isEqualTo(new SwarmCounts(2, 0, 2));
        store.announce(hash(1), v4(2, 1), id(2), 0, AnnounceEvent.STOPPED, 50, out);
        assertThat(out.v4().count()).isZero();
        assertThat(store.scrape(hash(1))).isEqualTo(new SwarmCounts(1, 0, 2));
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.STOPPED, 50, out);
        assertThat(store.swarmCount()).isZero();
        assertThat(store.peerCount()).isZero();
    }

    @Test
    void leecherBecomingSeederMovesOnceAndCountsStayExact() {
        SwarmStore store = store();
        store.announce(hash(1), v4(1, 1), id(1), 10, AnnounceEvent.STARTED, 50, out);
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.NONE, 50, out);
        assertThat(store.scrape(hash(1))).isEqualTo(new SwarmCounts(1, 0, 0));
        assertThat(store.seederCount()).isEqualTo(1);
        assertThat(store.leecherCount()).isZero();
    }

    @Test
    void recordsExpireOneTtlAfterTheLastAnnounce() {
        SwarmStore store = store();
        store.announce(hash(1), v4(1, 1), id(1), 10, AnnounceEvent.STARTED, 50, out);
        now.addAndGet(30_000);
        store.announce(hash(1), v4(2, 1), id(2), 10, AnnounceEvent.STARTED, 50, out);
        assertThat(out.v4().count()).isEqualTo(1);
        now.addAndGet(31_000); // peer 1 is now 61 s old
        store.announce(hash(1), v4(2, 1), id(2), 10, AnnounceEvent.NONE, 50, out);
        assertThat(out.v4().count()).as("an expired record is never handed out").isZero();
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(store.scrape(hash(1)).incomplete()).isEqualTo(1);
        now.addAndGet(61_000);
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(store.swarmCount()).isZero();
        assertThat(store.expiredPeers()).isEqualTo(2);
    }

    @Test
    void aFullSwarmEvictsItsLeastRecentlyAnnouncedPeer() {
        SwarmStore store = store(10, 3, 1000);
        for (int i = 1; i <= 3; i++) {
            store.announce(hash(1), v4(i, 1), id(i), 1, AnnounceEvent.STARTED, 0, out);
            now.addAndGet(1000);
        }
        store.announce(hash(1), v4(1, 1), id(1), 1, AnnounceEvent.NONE, 0, out); // 2 is now the oldest
        now.addAndGet(1000);
        store.announce(hash(1), v4(4, 1), id(4), 1, AnnounceEvent.STARTED, 10, out);
        assertThat(out.incomplete()).isEqualTo(3);
        assertThat(endpoints(out.v4())).containsExactlyInAnyOrder(hex(v4(1, 1)), hex(v4(3, 1)));
        assertThat(store.evictedPeers()).isEqualTo(1);
    }

    @Test
    void aFloodOfRandomInfoHashesStaysWithinTheSwarmCap() {
        SwarmStore store = store(640, 100, 100_000);
        for (int i = 0; i < 50_000; i++) {
            store.announce(hash(i), v4(i, 1), id(i), 1, AnnounceEvent.STARTED, 0, out);
        }
        assertThat(store.swarmCount()).isLessThanOrEqualTo(640);
        assertThat(store.peerCount()).isEqualTo(store.swarmCount());
        assertThat(store.evictedSwarms()).isEqualTo(50_000 - store.swarmCount());
        // the most recent announces survive: least recently announced went first
        assertThat(store.scrape(hash(49_999)).incomplete()).isEqualTo(1);
        assertThat(store.scrape(hash(0)).incomplete()).isZero();
    }

    @Test
    void aSwarmAnnouncedEverySecondOutlivesAFloodThatTurnsItsStripeOverInSeconds() {
        // 640 swarms: 10 per stripe. 128 new swarms a second (2 per stripe) replace a stripe's
        // swarms every 5 s or so, while one peer re-announces its swarm every second: the swarm is
        // then among its stripe's most recent, and the flood takes the others
        SwarmStore store = store(640, 100, 100_000);
        InfoHash busy = hash(-1);
        int fresh = 0;
        for (int second = 0; second < 30; second++) {
            now.addAndGet(1000);
            store.announce(busy, v4(1, 1), id(1), 1, AnnounceEvent.NONE, 0, out);
            for (int i = 0; i < 128; i++, fresh++) {
                store.announce(hash(fresh), v4(fresh, 2), id(fresh), 1, AnnounceEvent.STARTED, 0, out);
            }
            assertThat(store.scrape(busy).incomplete()).as("after second %d", second).isEqualTo(1);
        }
        assertThat(store.evictedSwarms()).as("the flood did turn the stripes over").isGreaterThan(2_000);
    }

    @Test
    void aSwarmReAnnouncedSinceItsLastMoveIsNotTheOneEvicted() {
        // three swarms a stripe; four that share one. The first is re-announced within the
        // seconds in which the order does not move it; a fourth swarm then evicts the second
        SwarmStore store = store(64 * 3, 100, 100_000);
        List<InfoHash> same = new java.util.ArrayList<>();
        for (int n = 0; same.size() < 4; n++) {
            if (SwarmStore.stripeIndex(hash(n)) == SwarmStore.stripeIndex(hash(0))) {
                same.add(hash(n));
            }
        }
        for (int i = 0; i < 3; i++) {
            store.announce(same.get(i), v4(i, 1), id(i), 1, AnnounceEvent.STARTED, 0, out);
        }
        for (int second = 1; second < SwarmStore.TOUCH_TICKS - 2; second++) {
            now.addAndGet(1000);
            store.announce(same.get(0), v4(0, 1), id(0), 1, AnnounceEvent.NONE, 0, out);
        }
        now.addAndGet(1000);
        store.announce(same.get(3), v4(3, 1), id(3), 1, AnnounceEvent.STARTED, 0, out);
        assertThat(store.scrape(same.get(0)).incomplete()).as("re-announced").isEqualTo(1);
        assertThat(store.scrape(same.get(1)).incomplete()).as("least recently announced").isZero();
        assertThat(store.scrape(same.get(2)).incomplete()).isEqualTo(1);
        assertThat(store.scrape(same.get(3)).incomplete()).isEqualTo(1);
        assertThat(store.evictedSwarms()).isEqualTo(1);
    }

    @Test
    void theTotalPeerCapHoldsAcrossSwarms() {
        SwarmStore store = store(100_000, 100_000, 5_000);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 40_000; i++) {
            store.announce(hash(random.nextInt(200)), v4(i, 1 + random.nextInt(60000)), id(i), 1, AnnounceEvent.STARTED, 0, out);
        }
        assertThat(store.peerCount()).isLessThanOrEqualTo(5_000);
        assertThat(store.evictedPeers()).isPositive();
    }

    @Test
    void ipv6PeersGoToPeers6AndFillAfterTheRequestersFamily() {
        SwarmStore store = store();
        store.announce(hash(1), v6(1, 1), id(1), 1, AnnounceEvent.STARTED, 0, out);
        store.announce(hash(1), v6(2, 1), id(2), 1, AnnounceEvent.STARTED, 0, out);
        store.announce(hash(1), v4(3, 1), id(3), 1, AnnounceEvent.STARTED, 50, out);
        assertThat(out.v4().count()).isZero();
        assertThat(endpoints(out.v6())).containsExactlyInAnyOrder(hex(v6(1, 1)), hex(v6(2, 1)));
        store.announce(hash(1), v6(1, 1), id(1), 1, AnnounceEvent.NONE, 1, out);
        assertThat(out.v6().count()).as("own family first").isEqualTo(1);
        assertThat(out.v4().count()).isZero();
    }

    @Test
    void listenerHearsChangesButNotIdleReannounces() {
        SwarmStore store = store();
        List<String> events = new ArrayList<>();
        store.setListener(new PeerChangeListener() {
            @Override
            public void peerUpdated(InfoHash h, byte[] endpoint, byte[] peerId, boolean seeder, boolean completed) {
                events.add("update seeder=" + seeder + (completed ? " completed" : ""));
            }

            @Override
            public void peerRemoved(InfoHash h, byte[] endpoint, Removal why) {
                events.add("remove " + why);
            }
        });
        store.announce(hash(1), v4(1, 1), id(1), 5, AnnounceEvent.STARTED, 0, out);
        assertThat(out.renewed()).as("a new peer").isFalse();
        store.announce(hash(1), v4(1, 1), id(1), 5, AnnounceEvent.NONE, 0, out);
        assertThat(out.renewed()).as("a re-announce").isTrue();
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.COMPLETED, 0, out);
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.COMPLETED, 0, out);
        store.announce(hash(1), v4(1, 1), id(1), 0, AnnounceEvent.STOPPED, 0, out);
        store.announce(hash(1), v4(2, 1), id(2), 0, AnnounceEvent.STARTED, 0, out);
        now.addAndGet(61_000L);
        store.sweep();
        assertThat(events).containsExactly("update seeder=false", "update seeder=true completed", "remove STOPPED",
                "update seeder=true", "remove EXPIRED");
    }

    @Test
    void refreshExportVisitsOnlyRecordsAnnouncedSinceTheGivenTime() {
        SwarmStore store = store();
        store.announce(hash(1), v4(1, 1), id(1), 5, AnnounceEvent.STARTED, 0, out);
        long mark = now.get() + 10_000;
        now.addAndGet(10_000);
        store.announce(hash(1), v4(2, 1), id(2), 0, AnnounceEvent.STARTED, 0, out);
        store.announce(hash(2), v4(3, 1), id(3), 5, AnnounceEvent.STARTED, 0, out);
        List<String> seen = new ArrayList<>();
        store.forEachAnnouncedSince(mark, (h, endpoint, peerId, seeder, last) -> seen.add(endpoint[3] + (seeder ? "s" : "l")));
        assertThat(seen).containsExactlyInAnyOrder("2s", "3l");
    }

    @Test
    void concurrentAnnouncesKeepCountsConsistent() throws Exception {
        SwarmStore store = store(100_000, 100_000, 10_000_000);
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                PeerSelection selection = new PeerSelection(100);
                start.await();
                for (int i = 0; i < perThread; i++) {
                    int peer = thread * perThread + i;
                    store.announce(hash(peer % 50), v4(peer, 1), id(peer), peer % 3 == 0 ? 0 : 1,
                            AnnounceEvent.STARTED, 20, selection);
                    if (i % 4 == 3) {
                        store.announce(hash(peer % 50), v4(peer, 1), id(peer), 0, AnnounceEvent.STOPPED, 0, selection);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        long expected = threads * perThread - threads * perThread / 4;
        assertThat(store.peerCount()).isEqualTo(expected);
        long[] total = new long[2];
        store.forEachSwarm((h, c) -> {
            total[0] += c.complete();
            total[1] += c.incomplete();
        });
        assertThat(total[0]).isEqualTo(store.seederCount());
        assertThat(total[1]).isEqualTo(store.leecherCount());
        assertThat(store.swarmCount()).isEqualTo(50);
    }
}
