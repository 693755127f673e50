package net.ctracker.announce.udp;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import net.ctracker.announce.AnnounceRequest;
import net.ctracker.announce.FailureReason;
import net.ctracker.announce.QueryParser;
import net.ctracker.announce.TrackerRequestException;
import net.ctracker.announce.TrackerService;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.SwarmCounts;

/**
 * Serves one datagram of the UDP tracker protocol (BEP 15) through the transport-neutral
 * {@link TrackerService}: the same store, caps, access list, metrics and cluster-wide answers as
 * HTTP. The socket side only moves bytes: it hands each datagram to {@link #receive} with a
 * {@link Sender} for the reply.
 *
 * <p>Threat model (UDP source addresses are forged at will):
 * <ul>
 *   <li>Without a valid connection ID nothing is answered except a connect, whose 16-byte reply is
 *       never larger than the request: this tracker cannot be used to amplify a reflection attack.
 *       Connection IDs ({@link ConnectionIds}) are checked without storing anything per client.</li>
 *   <li>Source port 0, short, oversized or otherwise malformed datagrams are counted by reason and
 *       dropped; an error reply goes only to an address that proved itself with a valid ID.</li>
 *   <li>numwant is capped so that an announce reply fits one unfragmented datagram
 *       ({@link UdpTrackerCodec#MAX_REPLY_LENGTH}); a scrape names at most 74 hashes.</li>
 *   <li>Answers that wait on other nodes are bounded ({@code maxPending}); beyond that new
 *       announces and scrapes are shed, not queued. Nothing per request is kept once answered.</li>
 * </ul>
 *
 * <p>An answer may come later from another thread; it is encoded and sent from whichever thread
 * answers, using that thread's own buffer.
 */
public final class UdpTrackerProtocol {

    /** Sends one reply datagram to the requester; {@code datagram} is valid only during the call. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] datagram, int length);
    }

    private static final ThreadLocal<byte[]> REPLIES = ThreadLocal.withInitial(() -> new byte[UdpTrackerCodec.MAX_REPLY_LENGTH]);

    private final TrackerService service;
    private final ConnectionIds ids;
    private final UdpObserver observer;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();

    public UdpTrackerProtocol(TrackerService service, ConnectionIds ids, UdpObserver observer, int maxPending) {
        this.service = service;
        this.ids = ids;
        this.observer = observer;
        this.maxPending = maxPending;
    }

    /** Requests whose answer has not been sent yet (for tests and gauges). */
    public int pending() {
        return pending.get();
    }

    /**
     * Handles one datagram of {@code length} bytes from {@code from}:{@code port}; at most one call to
     * {@code reply}, now or later from another thread.
     */
    public void receive(byte[] d, int length, InetAddress from, int port, Sender reply) {
        if (port == 0) {
            observer.malformed(UdpRejection.SOURCE_PORT_ZERO);
            return;
        }
        if (length < UdpTrackerCodec.HEADER_LENGTH) {
            observer.malformed(UdpRejection.TOO_SHORT);
            return;
        }
        if (length > UdpTrackerCodec.MAX_REQUEST_LENGTH) {
            observer.malformed(UdpRejection.TOO_LARGE);
            return;
        }
        long connectionId = UdpTrackerCodec.connectionId(d);
        int action = UdpTrackerCodec.action(d);
        int transactionId = UdpTrackerCodec.transactionId(d);
        byte[] address = from.getAddress();
        if (action == UdpTrackerCodec.CONNECT) {
            if (connectionId != UdpTrackerCodec.PROTOCOL_ID) {
                observer.malformed(UdpRejection.BAD_PROTOCOL_ID);
                return;
            }
            byte[] out = REPLIES.get();
            reply.send(out, UdpTrackerCodec.encodeConnect(out, transactionId, ids.issue(address)));
            observer.served(UdpTrackerCodec.CONNECT, false);
            return;
        }
        if (!ids.isValid(connectionId, address)) {
            observer.malformed(UdpRejection.BAD_CONNECTION_ID);
            return;
        }
        // from here on the requester has proved its address: errors are answered
        try {
            switch (action) {
                case UdpTrackerCodec.ANNOUNCE -> announce(d, length, from, transactionId, reply);
                case UdpTrackerCodec.SCRAPE -> scrape(d, length, transactionId, reply);
                default -> throw new UdpFormatException(UdpRejection.UNKNOWN_ACTION,
                        "unknown action " + action + ": use 0 (connect), 1 (announce) or 2 (scrape)", 8);
            }
        } catch (UdpFormatException e) {
            observer.malformed(e.reason());
            error(reply, transactionId, e.getMessage());
        }
    }

    private void announce(byte[] d, int length, InetAddress from, int transactionId, Sender reply) throws UdpFormatException {
        AnnounceRequest request;
        try {
            UdpTrackerCodec.Announce decoded = UdpTrackerCodec.decodeAnnounce(d, length);
            if (decoded.url() != null && !TrackerService.ANNOUNCE_PATH.equals(QueryParser.pathOf(decoded.url()))) {
                throw new TrackerRequestException(FailureReason.UNKNOWN_PATH, "unknown path: announce to /announce");
            }
            request = decoded.request();
        } catch (TrackerRequestException e) {
            service.announceRefused(e.reason());
            answerError(UdpTrackerCodec.ANNOUNCE, reply, transactionId, e.getMessage());
            return;
        }
        if (!enter()) {
            return;
        }
        TrackerService.Settings settings = service.settings();
        InetAddress client = settings.trusted().isEmpty() ? from : settings.trusted().clientAddress(from, null, request.ip());
        boolean ipv6 = from.getAddress().length == 16;
        int limit = UdpTrackerCodec.maxPeers(ipv6);
        if (request.numwant() > limit || (request.numwant() < 0 && settings.numwantDefault() > limit)) {
            request = withNumwant(request, limit);
        }
        int interval = settings.reply().intervalSeconds();
        service.announce(request, client, new TrackerService.AnnounceOutcome() {
            @Override
            public void answered(PeerSelection peers) {
                pending.decrementAndGet();
                byte[] out = REPLIES.get();
                reply.send(out, UdpTrackerCodec.encodeAnnounce(out, transactionId, interval, peers, ipv6));
                observer.served(UdpTrackerCodec.ANNOUNCE, false);
            }

            @Override
            public void refused(FailureReason reason, String message) {
                pending.decrementAndGet();
                answerError(UdpTrackerCodec.ANNOUNCE, reply, transactionId, message);
            }
        });
    }

    private void scrape(byte[] d, int length, int transactionId, Sender reply) throws UdpFormatException {
        List<InfoHash> hashes;
        try {
            hashes = UdpTrackerCodec.decodeScrape(d, length);
        } catch (TrackerRequestException e) {
            service.scrapeRefused(e.reason());
            answerError(UdpTrackerCodec.SCRAPE, reply, transactionId, e.getMessage());
            return;
        }
        if (!enter()) {
            return;
        }
        service.scrape(hashes, new TrackerService.ScrapeOutcome() {
            @Override
            public void answered(List<InfoHash> asked, List<SwarmCounts> counts) {
                pending.decrementAndGet();
                byte[] out = REPLIES.get();
                reply.send(out, UdpTrackerCodec.encodeScrape(out, transactionId, counts));
                observer.served(UdpTrackerCodec.SCRAPE, false);
            }

            @Override
            public void refused(FailureReason reason, String message) {
                pending.decrementAndGet();
                answerError(UdpTrackerCodec.SCRAPE, reply, transactionId, message);
            }
        });
    }

    /** Takes a place among the pending answers, or sheds the request when there is none. */
    private boolean enter() {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            observer.shed(UdpObserver.Shed.OVERLOADED);
            return false;
        }
        return true;
    }

    private void answerError(int action, Sender reply, int transactionId, String message) {
        error(reply, transactionId, message);
        observer.served(action, true);
    }

    private static void error(Sender reply, int transactionId, String message) {
        byte[] out = REPLIES.get();
        reply.send(out, UdpTrackerCodec.encodeError(out, transactionId, message));
    }

    private static AnnounceRequest withNumwant(AnnounceRequest r, int numwant) {
        return new AnnounceRequest(r.infoHash(), r.peerId(), r.port(), r.uploaded(), r.downloaded(), r.left(), r.event(),
                numwant, r.compact(), r.noPeerId(), r.ip(), r.key(), r.trackerId());
    }
}
