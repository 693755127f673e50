package net.ctracker.announce;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import net.ctracker.bencode.BencodeWriter;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.swarm.SwarmStore;

/**
 * Serves one public request: the HTTP server hands it the method, the raw request target and the
 * socket peer, and gets back a status and a bencoded body in the caller's reusable writer. Every
 * client error becomes a {@code failure reason} with status 200; only an unknown path is a 404.
 */
public final class TrackerService {

    public static final String ANNOUNCE_PATH = "/announce";
    public static final String SCRAPE_PATH = "/scrape";

    /** Settings for the public protocol, already validated. */
    public record Settings(AnnounceResponseWriter.ReplySettings reply, int numwantDefault, int numwantMax,
                           int scrapeMaxHashes, boolean fullScrapeEnabled, TrustedNetworks trusted) {
    }

    private final SwarmStore store;
    private final Settings settings;
    private final RequestObserver metrics;

    public TrackerService(SwarmStore store, Settings settings, RequestObserver metrics) {
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * @param header looks up a request header by name (null when absent)
     * @return the HTTP status; the body is in {@code out} (empty for 404)
     */
    public int handle(String method, String target, InetAddress peer, Function<String, String> header,
                      BencodeWriter out, PeerSelection selection) {
        out.reset();
        String path = QueryParser.pathOf(target);
        boolean announce = ANNOUNCE_PATH.equals(path);
        if (!announce && !SCRAPE_PATH.equals(path)) {
            return 404;
        }
        if (!"GET".equals(method)) {
            refuse(FailureReason.METHOD_NOT_ALLOWED, out);
            return 200;
        }
        String query = QueryParser.queryOf(target);
        if (announce) {
            announce(query, peer, header, out, selection);
        } else {
            scrape(query, out);
        }
        return 200;
    }

    private void announce(String query, InetAddress peer, Function<String, String> header, BencodeWriter out,
                          PeerSelection selection) {
        long start = System.nanoTime();
        AnnounceRequest request;
        try {
            request = QueryParser.parseAnnounce(query);
        } catch (TrackerRequestException e) {
            metrics.announceFailed(null, e.reason(), System.nanoTime() - start);
            AnnounceResponseWriter.failure(out, e.getMessage());
            return;
        }
        InetAddress client = settings.trusted().isEmpty() ? peer
                : settings.trusted().clientAddress(peer, header.apply("X-Forwarded-For"), request.ip());
        byte[] address = client.getAddress();
        byte[] endpoint = new byte[address.length + 2];
        System.arraycopy(address, 0, endpoint, 0, address.length);
        endpoint[address.length] = (byte) (request.port() >>> 8);
        endpoint[address.length + 1] = (byte) request.port();
        int numwant = request.numwant() < 0 ? settings.numwantDefault() : Math.min(request.numwant(), settings.numwantMax());
        store.announce(request.infoHash(), endpoint, request.peerId(), request.left(), request.event(), numwant, selection);
        AnnounceResponseWriter.announce(out, settings.reply(), selection, address, request.compact(),
                request.noPeerId(), address.length == 16);
        metrics.announced(request.event(), System.nanoTime() - start);
    }

    private void scrape(String query, BencodeWriter out) {
        long start = System.nanoTime();
        List<InfoHash> hashes;
        try {
            hashes = QueryParser.parseScrape(query, settings.scrapeMaxHashes());
            if (hashes.isEmpty() && !settings.fullScrapeEnabled()) {
                throw new TrackerRequestException(FailureReason.FULL_SCRAPE_DISABLED);
            }
        } catch (TrackerRequestException e) {
            metrics.scrapeFailed(e.reason(), System.nanoTime() - start);
            AnnounceResponseWriter.failure(out, e.getMessage());
            return;
        }
        List<SwarmCounts> counts = new ArrayList<>(hashes.size());
        if (hashes.isEmpty()) {
            List<InfoHash> all = new ArrayList<>();
            store.forEachSwarm((h, c) -> {
                all.add(h);
                counts.add(c);
            });
            hashes = all;
        } else {
            for (InfoHash h : hashes) {
                counts.add(store.scrape(h));
            }
        }
        AnnounceResponseWriter.scrape(out, hashes, counts, settings.reply().minIntervalSeconds());
        metrics.scraped(System.nanoTime() - start);
    }

    /** Writes the reply to a request the HTTP layer refused before parsing it. */
    public void refuse(FailureReason reason, BencodeWriter out) {
        out.reset();
        metrics.rejected(reason);
        AnnounceResponseWriter.failure(out, reason.message());
    }
}
