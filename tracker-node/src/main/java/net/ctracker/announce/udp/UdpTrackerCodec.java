package net.ctracker.announce.udp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.ctracker.announce.AnnounceRequest;
import net.ctracker.announce.FailureReason;
import net.ctracker.announce.TrackerRequestException;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerId;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.SwarmCounts;

/**
 * The UDP tracker protocol's bytes (BEP 15, with BEP 41's announce options). Big-endian throughout.
 *
 * <pre>
 * request header   connection_id u64 | action u32 | transaction_id u32            (16 bytes)
 * connect          header with connection_id = 0x41727101980, action 0
 * announce         header, action 1 | info_hash 20 | peer_id 20 | downloaded u64 | left u64 |
 *                  uploaded u64 | event u32 | ip u32 | key u32 | num_want i32 | port u16    (98 bytes)
 *                  then BEP 41 options: 0 EndOfOptions, 1 NOP, 2 URLData (length u8, bytes);
 *                  other types carry a length byte and are skipped
 * scrape           header, action 2 | info_hash 20 x N, 1 &lt;= N &lt;= 74
 * connect reply    action 0 | transaction_id | connection_id                            (16 bytes)
 * announce reply   action 1 | transaction_id | interval | leechers | seeders | peers 6 or 18 bytes each
 * scrape reply     action 2 | transaction_id | (seeders | completed | leechers) x N
 * error reply      action 3 | transaction_id | message (UTF-8)
 * </pre>
 *
 * Limits: a request is at most {@link #MAX_REQUEST_LENGTH} bytes; a reply at most
 * {@link #MAX_REPLY_LENGTH}, the payload that fits the IPv6 minimum MTU of 1280 bytes, so no link
 * ever fragments it; that caps the peers of a reply at 202 (IPv4) or 67 (IPv6). Rejections: grammar
 * errors are {@link UdpFormatException} with the offset; values the HTTP path would refuse too (an
 * unknown event, port 0) are {@link TrackerRequestException} with the same reasons. The u64 counts
 * are read as unsigned in effect: a client that sends all ones for an unknown {@code left} is a
 * leecher, as an HTTP announce without {@code left} is.
 */
public final class UdpTrackerCodec {

    public static final long PROTOCOL_ID = 0x41727101980L;
    public static final int CONNECT = 0;
    public static final int ANNOUNCE = 1;
    public static final int SCRAPE = 2;
    public static final int ERROR = 3;
    public static final int HEADER_LENGTH = 16;
    public static final int ANNOUNCE_LENGTH = 98;
    public static final int MAX_SCRAPE_HASHES = 74;
    /** Largest request accepted; a datagram this long or longer is dropped unread. */
    public static final int MAX_REQUEST_LENGTH = 2047;
    /** Largest reply sent: 1280 (IPv6 minimum MTU) - 40 (IPv6 header) - 8 (UDP header). */
    public static final int MAX_REPLY_LENGTH = 1232;
    static final int ANNOUNCE_REPLY_HEADER = 20;
    static final int SCRAPE_ENTRY = 12;

    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_URL_DATA = 2;

    private UdpTrackerCodec() {
    }

    /** The most peers one reply carries for a requester of this family. */
    public static int maxPeers(boolean ipv6) {
        return (MAX_REPLY_LENGTH - ANNOUNCE_REPLY_HEADER) / (ipv6 ? 18 : 6);
    }

    public static long connectionId(byte[] d) {
        return getLong(d, 0);
    }

    public static int action(byte[] d) {
        return getInt(d, 8);
    }

    public static int transactionId(byte[] d) {
        return getInt(d, 12);
    }

    /** An announce and its BEP 41 URL (path and query; null when the client sent none). */
    public record Announce(AnnounceRequest request, String url) {
    }

    /**
     * Decodes an announce whose header was already read. {@code ip} in the result is the dotted
     * form of a non-zero ip field, for the caller to honour only from trusted networks.
     */
    public static Announce decodeAnnounce(byte[] d, int length) throws UdpFormatException {
        if (length < ANNOUNCE_LENGTH) {
            throw new UdpFormatException(UdpRejection.TRUNCATED_ANNOUNCE,
                    "announce is " + length + " bytes, needs " + ANNOUNCE_LENGTH, length);
        }
        InfoHash infoHash = InfoHash.of(d, 16);
        byte[] peerId = new byte[PeerId.LENGTH];
        System.arraycopy(d, 36, peerId, 0, PeerId.LENGTH);
        // the fields are unsigned in practice: clients send all ones for "unknown" (npm's
        // bittorrent-tracker does for left), so a value with the top bit set is not an error
        long downloaded = Math.max(0, getLong(d, 56));
        long left = getLong(d, 64);
        long uploaded = Math.max(0, getLong(d, 72));
        int eventCode = getInt(d, 80);
        AnnounceEvent event = switch (eventCode) {
            case 0 -> AnnounceEvent.NONE;
            case 1 -> AnnounceEvent.COMPLETED;
            case 2 -> AnnounceEvent.STARTED;
            case 3 -> AnnounceEvent.STOPPED;
            default -> throw new TrackerRequestException(FailureReason.UNKNOWN_EVENT,
                    "unknown event " + Integer.toUnsignedString(eventCode) + ": use 0 (none), 1 (completed), 2 (started) or 3 (stopped)");
        };
        int ip = getInt(d, 84);
        byte[] key = {d[88], d[89], d[90], d[91]};
        int numwant = getInt(d, 92);
        int port = (d[96] & 0xff) << 8 | (d[97] & 0xff);
        if (port == 0) {
            throw new TrackerRequestException(FailureReason.INVALID_PORT, "port must be from 1 to 65535, got 0");
        }
        String url = options(d, ANNOUNCE_LENGTH, length);
        String ipText = ip == 0 ? null
                : (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
        AnnounceRequest request = new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left < 0 ? 1 : left, event,
                numwant < 0 ? -1 : numwant, true, false, ipText, key, null);
        // an unknown amount left counts as a leecher, as an HTTP announce without left does
        return new Announce(request, url);
    }

    /** BEP 41: the URLData options concatenated, or null when there are none. */
    private static String options(byte[] d, int from, int length) throws UdpFormatException {
        StringBuilder url = null;
        int at = from;
        while (at < length) {
            int type = d[at++] & 0xff;
            if (type == OPTION_END) {
                break;
            }
            if (type == OPTION_NOP) {
                continue;
            }
            if (at >= length || at + 1 + (d[at] & 0xff) > length) {
                throw new UdpFormatException(UdpRejection.BAD_OPTION,
                        "option " + type + " at offset " + (at - 1) + " runs past the end of the packet", at - 1);
            }
            int n = d[at++] & 0xff;
            if (type == OPTION_URL_DATA) {
                if (url == null) {
                    url = new StringBuilder(n);
                }
                for (int i = 0; i < n; i++) {
                    url.append((char) (d[at + i] & 0xff)); // octets, as on the HTTP request line
                }
            }
            at += n;
        }
        return url == null ? null : url.toString();
    }

    /** The info hashes of a scrape, in the order asked (a reply answers them by position). */
    public static List<InfoHash> decodeScrape(byte[] d, int length) throws UdpFormatException {
        int body = length - HEADER_LENGTH;
        if (body % InfoHash.LENGTH != 0) {
            throw new UdpFormatException(UdpRejection.BAD_SCRAPE_LENGTH,
                    "scrape body of " + body + " bytes is not a whole number of 20-byte info hashes", length);
        }
        int n = body / InfoHash.LENGTH;
        if (n == 0) {
            throw new TrackerRequestException(FailureReason.MISSING_INFO_HASH, "scrape names no info_hash");
        }
        if (n > MAX_SCRAPE_HASHES) {
            throw new TrackerRequestException(FailureReason.TOO_MANY_INFO_HASHES,
                    "at most " + MAX_SCRAPE_HASHES + " info hashes in one UDP scrape, got " + n);
        }
        List<InfoHash> hashes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hashes.add(InfoHash.of(d, HEADER_LENGTH + i * InfoHash.LENGTH));
        }
        return hashes;
    }

    public static int encodeConnect(byte[] out, int transactionId, long connectionId) {
        putInt(out, 0, CONNECT);
        putInt(out, 4, transactionId);
        putLong(out, 8, connectionId);
        return 16;
    }

    /** Writes the requester's family only (BEP 15: the transport decides), at most {@link #maxPeers}. */
    public static int encodeAnnounce(byte[] out, int transactionId, int intervalSeconds, PeerSelection peers, boolean ipv6) {
        putInt(out, 0, ANNOUNCE);
        putInt(out, 4, transactionId);
        putInt(out, 8, intervalSeconds);
        putInt(out, 12, peers.incomplete());
        putInt(out, 16, peers.complete());
        PeerSelection.Family family = ipv6 ? peers.v6() : peers.v4();
        int n = Math.min(family.count(), maxPeers(ipv6)) * family.endpointLength();
        System.arraycopy(family.endpoints(), 0, out, ANNOUNCE_REPLY_HEADER, n);
        return ANNOUNCE_REPLY_HEADER + n;
    }

    public static int encodeScrape(byte[] out, int transactionId, List<SwarmCounts> counts) {
        putInt(out, 0, SCRAPE);
        putInt(out, 4, transactionId);
        int at = 8;
        for (SwarmCounts c : counts) {
            putInt(out, at, c.complete());
            putInt(out, at + 4, c.downloaded());
            putInt(out, at + 8, c.incomplete());
            at += SCRAPE_ENTRY;
        }
        return at;
    }

    /** An error reply; a message longer than the reply limit is cut (never mid-character). */
    public static int encodeError(byte[] out, int transactionId, String message) {
        putInt(out, 0, ERROR);
        putInt(out, 4, transactionId);
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, Math.min(out.length, MAX_REPLY_LENGTH) - 8);
        while (n > 0 && n < text.length && (text[n] & 0xc0) == 0x80) {
            n--;
        }
        System.arraycopy(text, 0, out, 8, n);
        return 8 + n;
    }

    static long getLong(byte[] d, int at) {
        return (long) getInt(d, at) << 32 | (getInt(d, at + 4) & 0xffffffffL);
    }

    static int getInt(byte[] d, int at) {
        return (d[at] & 0xff) << 24 | (d[at + 1] & 0xff) << 16 | (d[at + 2] & 0xff) << 8 | (d[at + 3] & 0xff);
    }

    static void putInt(byte[] out, int at, int v) {
        out[at] = (byte) (v >>> 24);
        out[at + 1] = (byte) (v >>> 16);
        out[at + 2] = (byte) (v >>> 8);
        out[at + 3] = (byte) v;
    }

    static void putLong(byte[] out, int at, long v) {
        putInt(out, at, (int) (v >>> 32));
        putInt(out, at + 4, (int) v);
    }
}
