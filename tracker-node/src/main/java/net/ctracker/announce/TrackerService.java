package net.ctracker.announce;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

import net.ctracker.bencode.BencodeWriter;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.RemotePeers;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.swarm.SwarmStore;

/**
 * Serves one public request: the HTTP server hands it the method, the raw request target and the
 * socket peer; the reply (a status and a bencoded body) goes to a {@link Reply}, at once or, when
 * the answer waits on other nodes, later from another thread. Every client error becomes a
 * {@code failure reason} with status 200; only an unknown path is a 404.
 *
 * <p>{@link #announce(AnnounceRequest, InetAddress, AnnounceOutcome)} and
 * {@link #scrape(List, ScrapeOutcome)} are the transport-neutral core that other front ends (UDP)
 * share: the same store, caps, metrics and cluster-wide answers.
 *
 * <p>Each thread that calls in has its own reply writer and selection buffer, so the announce path
 * allocates little beyond the parsed request.
 */
public final class TrackerService {

    public static final String ANNOUNCE_PATH = "/announce";
    public static final String SCRAPE_PATH = "/scrape";
    /** Peers one selection buffer holds; above the largest numwant-max. */
    public static final int SELECTION_CAPACITY = 1024;

    /** Settings for the public protocol, already validated. */
    public record Settings(AnnounceResponseWriter.ReplySettings reply, int numwantDefault, int numwantMax,
                           int scrapeMaxHashes, boolean fullScrapeEnabled, TrustedNetworks trusted) {
    }

    /** Where a public request's reply goes: called exactly once; {@code body} is valid only during the call. */
    @FunctionalInterface
    public interface Reply {
        void send(int status, BencodeWriter body);
    }

    /** The outcome of one announce, called exactly once; {@code peers} is valid only during the call. */
    public interface AnnounceOutcome {
        void answered(PeerSelection peers);

        void refused(FailureReason reason, String message);
    }

    /** The outcome of one scrape, called exactly once: counts in the order of the hashes asked. */
    public interface ScrapeOutcome {
        void answered(List<InfoHash> hashes, List<SwarmCounts> counts);

        void refused(FailureReason reason, String message);
    }

    private static final ThreadLocal<BencodeWriter> WRITERS = ThreadLocal.withInitial(() -> new BencodeWriter(2048));
    private static final ThreadLocal<PeerSelection> SELECTIONS = ThreadLocal.withInitial(() -> new PeerSelection(SELECTION_CAPACITY));

    private final SwarmStore store;
    private final Settings settings;
    private final RequestObserver metrics;
    private final LongSupplier nanoClock;
    private volatile RemotePeers remote = RemotePeers.NONE;
    private volatile AccessList access = AccessList.OPEN;

    /** @param nanoClock monotonic nanoseconds for request latencies ({@code System::nanoTime} in production) */
    public TrackerService(SwarmStore store, Settings settings, RequestObserver metrics, LongSupplier nanoClock) {
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    /** Joins this node's answers to the cluster's (set once the overlay is up). */
    public void setRemotePeers(RemotePeers remote) {
        this.remote = remote == null ? RemotePeers.NONE : remote;
    }

    /** The info hashes served from now on (allow and deny lists); refused hashes are never stored. */
    public void setAccessList(AccessList access) {
        this.access = access == null ? AccessList.OPEN : access;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @param header looks up a request header by name (null when absent)
     */
    public void handle(String method, String target, InetAddress peer, Function<String, String> header, Reply reply) {
        String path = QueryParser.pathOf(target);
        boolean announce = ANNOUNCE_PATH.equals(path);
        if (!announce && !SCRAPE_PATH.equals(path)) {
            reply.send(404, writer());
            return;
        }
        if (!"GET".equals(method)) {
            refuse(FailureReason.METHOD_NOT_ALLOWED, reply);
            return;
        }
        String query = QueryParser.queryOf(target);
        if (announce) {
            httpAnnounce(query, peer, header, reply);
        } else {
            httpScrape(query, reply);
        }
    }

    /** Writes the reply to a request the HTTP layer refused before parsing it. */
    public void refuse(FailureReason reason, Reply reply) {
        metrics.rejected(reason);
        BencodeWriter out = writer();
        AnnounceResponseWriter.failure(out, reason.message());
        reply.send(200, out);
    }

    private void httpAnnounce(String query, InetAddress peer, Function<String, String> header, Reply reply) {
        long start = nanoClock.getAsLong();
        AnnounceRequest request;
        try {
            request = QueryParser.parseAnnounce(query);
        } catch (TrackerRequestException e) {
            metrics.announceFailed(null, e.reason(), nanoClock.getAsLong() - start);
            BencodeWriter out = writer();
            AnnounceResponseWriter.failure(out, e.getMessage());
            reply.send(200, out);
            return;
        }
        InetAddress client = settings.trusted().isEmpty() ? peer
                : settings.trusted().clientAddress(peer, header.apply("X-Forwarded-For"), request.ip());
        byte[] address = client.getAddress();
        announce(request, client, new AnnounceOutcome() {
            @Override
            public void answered(PeerSelection peers) {
                BencodeWriter out = writer();
                AnnounceResponseWriter.announce(out, settings.reply(), peers, address, request.compact(),
                        request.noPeerId(), address.length == 16);
                reply.send(200, out);
            }

            @Override
            public void refused(FailureReason reason, String message) {
                BencodeWriter out = writer();
                AnnounceResponseWriter.failure(out, message);
                reply.send(200, out);
            }
        });
    }

    /**
     * Stores one announce from {@code client} and answers it with peers of the swarm: this node's
     * own, joined to what other nodes know (see {@link RemotePeers}). numwant is clamped here.
     */
    public void announce(AnnounceRequest request, InetAddress client, AnnounceOutcome outcome) {
        long start = nanoClock.getAsLong();
        AccessList access = this.access;
        if (!access.isOpen()) {
            boolean permitted = access.permits(request.infoHash());
            metrics.accessChecked(permitted);
            if (!permitted) {
                metrics.announceFailed(request.event(), FailureReason.INFO_HASH_NOT_ALLOWED, nanoClock.getAsLong() - start);
                outcome.refused(FailureReason.INFO_HASH_NOT_ALLOWED, FailureReason.INFO_HASH_NOT_ALLOWED.message());
                return;
            }
        }
        byte[] address = client.getAddress();
        byte[] endpoint = new byte[address.length + 2];
        System.arraycopy(address, 0, endpoint, 0, address.length);
        endpoint[address.length] = (byte) (request.port() >>> 8);
        endpoint[address.length + 1] = (byte) request.port();
        int numwant = request.numwant() < 0 ? settings.numwantDefault() : Math.min(request.numwant(), settings.numwantMax());
        // peer ids go only into dictionary replies
        PeerSelection selection = SELECTIONS.get().withPeerIds(!request.compact() && !request.noPeerId());
        AnnounceEvent event = request.event();
        RemotePeers remote = this.remote;
        // a ranked answer is chosen from more of the node's own peers than it hands out
        int draw = event == AnnounceEvent.STOPPED ? numwant : remote.candidates(numwant);
        store.announce(request.infoHash(), endpoint, request.peerId(), request.left(), event, draw, selection);
        if (event == AnnounceEvent.STOPPED
                || remote.completeAnnounce(request.infoHash(), endpoint, request.left() == 0, numwant, selection, later -> {
                    outcome.answered(later);
                    metrics.announced(event, nanoClock.getAsLong() - start);
                })) {
            outcome.answered(selection);
            metrics.announced(event, nanoClock.getAsLong() - start);
        }
    }

    private void httpScrape(String query, Reply reply) {
        long start = nanoClock.getAsLong();
        List<InfoHash> hashes;
        try {
            hashes = QueryParser.parseScrape(query, settings.scrapeMaxHashes());
            if (hashes.isEmpty() && !settings.fullScrapeEnabled()) {
                throw new TrackerRequestException(FailureReason.FULL_SCRAPE_DISABLED);
            }
        } catch (TrackerRequestException e) {
            metrics.scrapeFailed(e.reason(), nanoClock.getAsLong() - start);
            BencodeWriter out = writer();
            AnnounceResponseWriter.failure(out, e.getMessage());
            reply.send(200, out);
            return;
        }
        scrape(hashes, new ScrapeOutcome() {
            @Override
            public void answered(List<InfoHash> asked, List<SwarmCounts> counts) {
                BencodeWriter out = writer();
                AnnounceResponseWriter.scrape(out, asked, counts, settings.reply().minIntervalSeconds());
                reply.send(200, out);
            }

            @Override
            public void refused(FailureReason reason, String message) {
                BencodeWriter out = writer();
                AnnounceResponseWriter.failure(out, message);
                reply.send(200, out);
            }
        });
    }

    /**
     * Counts for each hash (BEP 48), the swarm's wherever its peers announced; an empty list is a
     * full scrape of the swarms this node holds (the caller checks that it is enabled).
     */
    public void scrape(List<InfoHash> hashes, ScrapeOutcome outcome) {
        long start = nanoClock.getAsLong();
        AccessList access = this.access;
        if (!access.isOpen()) {
            for (InfoHash h : hashes) {
                boolean permitted = access.permits(h);
                metrics.accessChecked(permitted);
                if (!permitted) {
                    metrics.scrapeFailed(FailureReason.INFO_HASH_NOT_ALLOWED, nanoClock.getAsLong() - start);
                    outcome.refused(FailureReason.INFO_HASH_NOT_ALLOWED, FailureReason.INFO_HASH_NOT_ALLOWED.message());
                    return;
                }
            }
        }
        List<SwarmCounts> counts = new ArrayList<>(hashes.size());
        if (hashes.isEmpty()) {
            List<InfoHash> all = new ArrayList<>();
            store.forEachSwarm((h, c) -> {
                // swarms held from before a list change are not shown
                if (access.permits(h)) {
                    all.add(h);
                    counts.add(c);
                }
            });
            outcome.answered(all, counts);
            metrics.scraped(nanoClock.getAsLong() - start);
            return;
        }
        for (InfoHash h : hashes) {
            counts.add(store.scrape(h));
        }
        if (remote.completeScrape(hashes, counts, later -> {
            outcome.answered(hashes, later);
            metrics.scraped(nanoClock.getAsLong() - start);
        })) {
            outcome.answered(hashes, counts);
            metrics.scraped(nanoClock.getAsLong() - start);
        }
    }

    /** Counts an announce that another front end (UDP) refused before it reached {@link #announce}. */
    public void announceRefused(FailureReason reason) {
        metrics.announceFailed(null, reason, 0);
    }

    /** Counts a scrape that another front end (UDP) refused before it reached {@link #scrape}. */
    public void scrapeRefused(FailureReason reason) {
        metrics.scrapeFailed(reason, 0);
    }

    /** This thread's reply writer, emptied. */
    private static BencodeWriter writer() {
        return WRITERS.get().reset();
    }
}
