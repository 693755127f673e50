package net.ctracker.announce.udp;

import static net.ctracker.announce.udp.UdpPackets.getInt;
import static net.ctracker.announce.udp.UdpPackets.getLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.ctracker.announce.AccessList;
import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.TrustedNetworks;
import net.ctracker.metrics.TrackerMetrics;
import net.ctracker.metrics.UdpMetrics;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.RemotePeers;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.swarm.SwarmStore;
import org.junit.jupiter.api.Test;

/** BEP 15 over the transport-neutral core, without sockets: every rejection, every reply shape. */
class UdpTrackerProtocolTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SwarmStore store = new SwarmStore(new StoreLimits(Duration.ofMinutes(60), 1000, 1000, 100_000),
            () -> 1_000_000L, new SplittableRandom(3));
    private final AtomicLong now = new AtomicLong(5_000_000);
    private final ConnectionIds ids = new ConnectionIds(now::get, new SplittableRandom(11), 60_000);

    private TrackerService service(int numwantMax) {
        var reply = new AnnounceResponseWriter.ReplySettings(1800, 300, "node-a".getBytes(StandardCharsets.US_ASCII), null);
        return new TrackerService(store, new TrackerService.Settings(reply, 50, numwantMax, 64, false, TrustedNetworks.none()),
                new TrackerMetrics(registry, store), System::nanoTime);
    }

    private final TrackerService service = service(200);
    private final UdpTrackerProtocol udp = new UdpTrackerProtocol(service, ids, new UdpMetrics(registry), 8);

    private final InetAddress alice = address("10.0.0.1");
    private final InetAddress bob = address("10.0.0.2");

    private final List<byte[]> replies = new ArrayList<>();
    private final List<String> replyThreads = new ArrayList<>();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one datagram; returns the reply, or null when there was none. */
    private byte[] send(byte[] datagram, InetAddress from, int port) {
        return send(udp, datagram, from, port);
    }

    private byte[] send(UdpTrackerProtocol protocol, byte[] datagram, InetAddress from, int port) {
        int before = replies.size();
        protocol.receive(datagram, datagram.length, from, port, (d, n) -> {
            replies.add(Arrays.copyOf(d, n));
            replyThreads.add(Thread.currentThread().getName());
        });
        assertThat(replies.size() - before).as("at most one reply").isLessThanOrEqualTo(1);
        return replies.size() > before ? replies.get(replies.size() - 1) : null;
    }

    private long connect(InetAddress from) {
        byte[] reply = send(UdpPackets.connect(77), from, 6881);
        assertThat(reply).hasSize(16);
        assertThat(getInt(reply, 0)).isZero();
        assertThat(getInt(reply, 4)).isEqualTo(77);
        return getLong(reply, 8);
    }

    private double malformed(UdpRejection reason) {
        return registry.get("ctracker.udp.malformed").tag("reason", reason.label()).counter().count();
    }

    private static String errorText(byte[] reply, int transactionId) {
        assertThat(getInt(reply, 0)).as("error action").isEqualTo(UdpTrackerCodec.ERROR);
        assertThat(getInt(reply, 4)).isEqualTo(transactionId);
        return new String(reply, 8, reply.length - 8, StandardCharsets.UTF_8);
    }

    @Test
    void connectThenAnnounceReturnsTheOtherPeer() {
        byte[] hash = UdpPackets.hash(1);
        long a = connect(alice);
        byte[] first = send(UdpPackets.announce(a, 5, hash, 1, UdpPackets.STARTED, 100, -1, 6001), alice, 6881);
        assertThat(getInt(first, 0)).isEqualTo(UdpTrackerCodec.ANNOUNCE);
        assertThat(getInt(first, 4)).isEqualTo(5);
        assertThat(getInt(first, 8)).as("interval").isEqualTo(1800);
        assertThat(first).as("no peers yet").hasSize(20);
        long b = connect(bob);
        byte[] second = send(UdpPackets.announce(b, 6, hash, 2, UdpPackets.STARTED, 0, -1, 6002), bob, 6882);
        assertThat(getInt(second, 12)).as("leechers").isEqualTo(1);
        assertThat(getInt(second, 16)).as("seeders").isEqualTo(1);
        assertThat(Arrays.copyOfRange(second, 20, second.length)).containsExactly(10, 0, 0, 1, 6001 >> 8, 6001 & 0xff);
        assertThat(registry.get("ctracker.udp.requests").tag("type", "announce").tag("outcome", "ok").counter().count()).isEqualTo(2);
        assertThat(registry.get("ctracker.announces").tag("event", "started").tag("outcome", "ok").counter().count())
                .as("the core counts UDP announces like HTTP ones").isEqualTo(2);
    }

    @Test
    void ipv6RequestersGetEighteenBytePeersAndAtMost67() throws Exception {
        byte[] hash = UdpPackets.hash(2);
        for (int i = 1; i <= 80; i++) {
            InetAddress peer = address("2001:db8::" + Integer.toHexString(i));
            send(UdpPackets.announce(connect(peer), i, hash, i, UdpPackets.STARTED, 100, -1, 7000 + i), peer, 6881);
        }
        InetAddress me = address("2001:db8::ffff");
        byte[] reply = send(UdpPackets.announce(connect(me), 1, hash, 999, 0, 100, 200, 7999), me, 6881);
        assertThat((reply.length - 20) % 18).isZero();
        assertThat((reply.length - 20) / 18).as("what fits 1232 bytes").isEqualTo(67);
        assertThat(reply.length).isLessThanOrEqualTo(UdpTrackerCodec.MAX_REPLY_LENGTH);
        assertThat(InetAddress.getByAddress(Arrays.copyOfRange(reply, 20, 36)).getHostAddress()).startsWith("2001:db8:");
    }

    @Test
    void numwantIsClampedToNumwantMaxAndToOneDatagram() {
        byte[] hash = UdpPackets.hash(3);
        for (int i = 1; i <= 260; i++) {
            InetAddress peer = address("10.1." + (i / 200) + "." + (1 + i % 200));
            send(UdpPackets.announce(connect(peer), i, hash, i, 0, 100, 0, 7000), peer, 6881);
        }
        byte[] asked = send(UdpPackets.announce(connect(alice), 1, hash, 999, 0, 100, 1000, 7999), alice, 6881);
        assertThat((asked.length - 20) / 6).as("numwant-max 200").isEqualTo(200);
        byte[] unsaid = send(UdpPackets.announce(connect(alice), 1, hash, 999, 0, 100, -1, 7999), alice, 6881);
        assertThat((unsaid.length - 20) / 6).as("numwant-default 50").isEqualTo(50);

        UdpTrackerProtocol generous = new UdpTrackerProtocol(service(1000), ids, UdpObserver.NONE, 8);
        byte[] big = send(generous, UdpPackets.announce(connect(alice), 1, hash, 999, 0, 100, 1000, 7999), alice, 6881);
        assertThat((big.length - 20) / 6).as("numwant-max 1000 still fits one datagram").isEqualTo(202);
        assertThat(big.length).isLessThanOrEqualTo(UdpTrackerCodec.MAX_REPLY_LENGTH);
    }

    @Test
    void scrapeAnswersEveryHashByPosition() {
        byte[] hash = UdpPackets.hash(4);
        send(UdpPackets.announce(connect(alice), 1, hash, 1, UdpPackets.STARTED, 0, -1, 6001), alice, 6881);
        send(UdpPackets.announce(connect(bob), 1, hash, 2, UdpPackets.STARTED, 100, -1, 6002), bob, 6881);
        byte[] reply = send(UdpPackets.scrape(connect(alice), 9, UdpPackets.hash(99), hash), alice, 6881);
        assertThat(reply).hasSize(8 + 24);
        assertThat(getInt(reply, 0)).isEqualTo(UdpTrackerCodec.SCRAPE);
        assertThat(getInt(reply, 4)).isEqualTo(9);
        assertThat(new int[] {getInt(reply, 8), getInt(reply, 12), getInt(reply, 16)}).as("unknown swarm").containsExactly(0, 0, 0);
        assertThat(new int[] {getInt(reply, 20), getInt(reply, 24), getInt(reply, 28)}).as("seeders, completed, leechers")
                .containsExactly(1, 0, 1);
        byte[][] many = new byte[74][];
        for (int i = 0; i < many.length; i++) {
            many[i] = UdpPackets.hash(100 + i);
        }
        assertThat(send(UdpPackets.scrape(connect(alice), 10, many), alice, 6881)).as("74 hashes").hasSize(8 + 74 * 12);
    }

    @Test
    void withoutAValidConnectionIdNothingIsAnswered() {
        byte[] hash = UdpPackets.hash(5);
        long a = connect(alice);
        assertThat(send(UdpPackets.announce(a, 1, hash, 1, 0, 100, -1, 6001), bob, 6881)).as("ID of another address").isNull();
        assertThat(send(UdpPackets.announce(12345L, 1, hash, 1, 0, 100, -1, 6001), alice, 6881)).as("made-up ID").isNull();
        assertThat(send(UdpPackets.scrape(12345L, 1, hash), alice, 6881)).isNull();
        byte[] unknownAction = UdpPackets.scrape(12345L, 1, hash);
        unknownAction[11] = 9;
        assertThat(send(unknownAction, alice, 6881)).as("bad action, bad ID").isNull();
        assertThat(malformed(UdpRejection.BAD_CONNECTION_ID)).isEqualTo(4);
        now.addAndGet(2 * 60_000);
        assertThat(send(UdpPackets.announce(a, 1, hash, 1, 0, 100, -1, 6001), alice, 6881)).as("expired ID").isNull();
        assertThat(store.peerCount()).isZero();
    }

    @Test
    void brokenHeadersAreDroppedAndCountedByReason() {
        assertThat(send(UdpPackets.connect(1), alice, 0)).as("source port 0").isNull();
        assertThat(malformed(UdpRejection.SOURCE_PORT_ZERO)).isEqualTo(1);
        assertThat(send(Arrays.copyOf(UdpPackets.connect(1), 15), alice, 6881)).as("15 bytes").isNull();
        assertThat(malformed(UdpRejection.TOO_SHORT)).isEqualTo(1);
        assertThat(send(Arrays.copyOf(UdpPackets.connect(1), 2048), alice, 6881)).as("2048 bytes").isNull();
        assertThat(malformed(UdpRejection.TOO_LARGE)).isEqualTo(1);
        byte[] badMagic = UdpPackets.connect(1);
        badMagic[0] = 1;
        assertThat(send(badMagic, alice, 6881)).as("connect without the protocol id").isNull();
        assertThat(malformed(UdpRejection.BAD_PROTOCOL_ID)).isEqualTo(1);
        assertThat(send(Arrays.copyOf(UdpPackets.connect(1), 40), alice, 6881)).as("a longer connect is still a connect").hasSize(16);
    }

    @Test
    void malformedRequestsWithAValidIdGetAnErrorNamingTheProblem() {
        byte[] hash = UdpPackets.hash(6);
        long a = connect(alice);
        byte[] unknownAction = UdpPackets.scrape(a, 3, hash);
        unknownAction[11] = 9;
        assertThat(errorText(send(unknownAction, alice, 6881), 3)).contains("unknown action 9");
        byte[] announce = UdpPackets.announce(a, 4, hash, 1, 0, 100, -1, 6001);
        assertThat(errorText(send(Arrays.copyOf(announce, 97), alice, 6881), 4)).contains("97 bytes");
        assertThat(errorText(send(UdpPackets.announce(a, 5, hash, 1, 0, 100, -1, 6001, (byte) 2, (byte) 10, (byte) '/'), alice, 6881), 5))
                .contains("runs past the end");
        assertThat(errorText(send(UdpPackets.announce(a, 6, hash, 1, 0, 100, -1, 6001, (byte) 7), alice, 6881), 6))
                .as("an unknown option without its length byte").contains("option 7");
        byte[] scrape = UdpPackets.scrape(a, 7, hash);
        assertThat(errorText(send(Arrays.copyOf(scrape, scrape.length + 1), alice, 6881), 7)).contains("whole number");
        assertThat(malformed(UdpRejection.UNKNOWN_ACTION)).isEqualTo(1);
        assertThat(malformed(UdpRejection.TRUNCATED_ANNOUNCE)).isEqualTo(1);
        assertThat(malformed(UdpRejection.BAD_OPTION)).isEqualTo(2);
        assertThat(malformed(UdpRejection.BAD_SCRAPE_LENGTH)).isEqualTo(1);
        assertThat(store.peerCount()).isZero();
    }

    @Test
    void valuesHttpWouldRefuseAreRefusedWithTheSameReasons() {
        byte[] hash = UdpPackets.hash(7);
        long a = connect(alice);
        assertThat(errorText(send(UdpPackets.announce(a, 1, hash, 1, 9, 100, -1, 6001), alice, 6881), 1)).contains("unknown event 9");
        assertThat(errorText(send(UdpPackets.announce(a, 2, hash, 1, 0, 100, -1, 0), alice, 6881), 2)).contains("port");
        assertThat(errorText(send(UdpPackets.scrape(a, 4), alice, 6881), 4)).contains("no info_hash");
        byte[][] many = new byte[75][];
        Arrays.fill(many, hash);
        assertThat(errorText(send(UdpPackets.scrape(a, 5, many), alice, 6881), 5)).contains("at most 74");
        assertThat(errorText(send(UdpPackets.announce(a, 6, hash, 1, 0, 100, -1, 6001, UdpPackets.urlData("/scrape")), alice, 6881), 6))
                .contains("unknown path");
        for (String reason : List.of("unknown_event", "invalid_port", "missing_info_hash", "too_many_info_hashes", "unknown_path")) {
            assertThat(registry.get("ctracker.request.errors").tag("reason", reason).counter().count()).as(reason).isEqualTo(1);
        }
        assertThat(registry.get("ctracker.udp.requests").tag("type", "announce").tag("outcome", "error").counter().count()).isEqualTo(3);
        assertThat(store.peerCount()).isZero();
    }

    @Test
    void anUnknownAmountLeftIsALeecher() {
        byte[] hash = UdpPackets.hash(12);
        byte[] reply = send(UdpPackets.announce(connect(alice), 1, hash, 1, UdpPackets.STARTED, -1, -1, 6001), alice, 6881);
        assertThat(getInt(reply, 0)).isEqualTo(UdpTrackerCodec.ANNOUNCE);
        assertThat(getInt(reply, 12)).as("leechers").isEqualTo(1);
        assertThat(getInt(reply, 16)).as("seeders").isZero();
    }

    @Test
    void bep41OptionsAreParsedAndTheUrlPathIsChecked() {
        byte[] hash = UdpPackets.hash(8);
        long a = connect(alice);
        String longQuery = "/announce?passkey=" + "k".repeat(400);
        byte[] url = UdpPackets.urlData(longQuery);
        byte[] options = new byte[url.length + 3];
        options[0] = 1; // NOP
        System.arraycopy(url, 0, options, 1, url.length);
        options[url.length + 1] = 0; // EndOfOptions: what follows is not read
        options[url.length + 2] = 2;
        byte[] reply = send(UdpPackets.announce(a, 1, hash, 1, 0, 100, -1, 6001, options), alice, 6881);
        assertThat(getInt(reply, 0)).as("URLData in two chunks, NOP, EndOfOptions").isEqualTo(UdpTrackerCodec.ANNOUNCE);
        byte[] unknownOption = {9, 3, 'a', 'b', 'c', 2, 9, '/', 'a', 'n', 'n', 'o', 'u', 'n', 'c', 'e'};
        reply = send(UdpPackets.announce(a, 2, hash, 2, 0, 100, -1, 6002, unknownOption), alice, 6881);
        assertThat(getInt(reply, 0)).as("an unknown option with a length is skipped").isEqualTo(UdpTrackerCodec.ANNOUNCE);
        assertThat(errorText(send(UdpPackets.announce(a, 3, hash, 3, 0, 100, -1, 6003, UdpPackets.urlData("/")), alice, 6881), 3))
                .contains("unknown path");
    }

    @Test
    void aRefusedInfoHashGetsAnErrorAndIsNeverStored() {
        byte[] allowed = UdpPackets.hash(9);
        byte[] refused = UdpPackets.hash(10);
        service.setAccessList(new AccessList(Set.of(InfoHash.of(allowed)), null));
        long a = connect(alice);
        assertThat(errorText(send(UdpPackets.announce(a, 1, refused, 1, UdpPackets.STARTED, 100, -1, 6001), alice, 6881), 1))
                .contains("not served by this tracker");
        assertThat(errorText(send(UdpPackets.scrape(a, 2, allowed, refused), alice, 6881), 2)).contains("not served");
        assertThat(getInt(send(UdpPackets.announce(a, 3, allowed, 1, UdpPackets.STARTED, 100, -1, 6001), alice, 6881), 0))
                .isEqualTo(UdpTrackerCodec.ANNOUNCE);
        assertThat(store.swarmCount()).as("only the allowed swarm").isEqualTo(1);
        assertThat(registry.get("ctracker.access.checks").tag("outcome", "refused").counter().count()).isEqualTo(2);
        assertThat(registry.get("ctracker.request.errors").tag("reason", "info_hash_not_allowed").counter().count()).isEqualTo(2);
    }

    /** Other nodes answer later, from their own thread; past the pending bound requests are shed. */
    @Test
    void answersThatWaitOnOtherNodesAreSentFromTheAnsweringThreadAndBounded() throws Exception {
        List<Consumer<PeerSelection>> waiting = new ArrayList<>();
        service.setRemotePeers(new RemotePeers() {
            @Override
            public boolean completeAnnounce(InfoHash infoHash, byte[] endpoint, boolean seeder, int numwant,
                                            PeerSelection selection, Consumer<PeerSelection> later) {
                waiting.add(later);
                return false;
            }

            @Override
            public boolean completeScrape(List<InfoHash> hashes, List<SwarmCounts> counts, Consumer<List<SwarmCounts>> later) {
                return true;
            }
        });
        byte[] hash = UdpPackets.hash(11);
        long a = connect(alice);
        for (int i = 0; i < 10; i++) {
            assertThat(send(UdpPackets.announce(a, 100 + i, hash, i, 0, 100, -1, 6000 + i), alice, 6881)).isNull();
        }
        assertThat(waiting).as("the bound of 8").hasSize(8);
        assertThat(udp.pending()).isEqualTo(8);
        assertThat(registry.get("ctracker.udp.shed").tag("reason", "overloaded").counter().count()).isEqualTo(2);
        Thread remote = new Thread(() -> {
            PeerSelection found = new PeerSelection(16);
            for (Consumer<PeerSelection> later : waiting) {
                later.accept(found);
            }
        }, "remote-answers");
        int before = replies.size();
        remote.start();
        remote.join(5_000);
        assertThat(udp.pending()).isZero();
        assertThat(replies.size() - before).as("all eight answered later").isEqualTo(8);
        assertThat(replyThreads.subList(before, replies.size())).containsOnly("remote-answers");
        for (int i = 0; i < 8; i++) {
            byte[] reply = replies.get(before + i);
            assertThat(getInt(reply, 0)).isEqualTo(UdpTrackerCodec.ANNOUNCE);
            assertThat(getInt(reply, 4)).as("each answer carries its own transaction id").isEqualTo(100 + i);
        }
    }

    /** A flood of random datagrams from addresses without IDs: never a reply larger than the request. */
    @Test
    void noReplyIsLargerThanTheRequestWithoutAValidId() {
        SplittableRandom random = new SplittableRandom(2024);
        int answered = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] d = new byte[random.nextInt(0, 200)];
            random.nextBytes(d);
            if (d.length >= 16 && random.nextInt(4) == 0) {
                System.arraycopy(UdpPackets.connect(0), 0, d, 0, 12); // a connect now and then
            }
            if (d.length >= 12 && random.nextInt(3) == 0) {
                d[8] = d[9] = d[10] = 0;
                d[11] = (byte) random.nextInt(4);
            }
            byte[] reply = send(d, bob, 1 + random.nextInt(65535));
            if (reply != null) {
                answered++;
                assertThat(reply.length).isLessThanOrEqualTo(d.length);
                assertThat(getInt(reply, 0)).as("only connects are answered").isZero();
            }
        }
        assertThat(answered).as("the connects were answered").isPositive();
        assertThat(store.peerCount()).isZero();
    }
}
