package net.ctracker.announce;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerId;

/**
 * Parses announce and scrape query strings from the raw request target. Values are
 * percent-decoded to bytes, never to text: info_hash and peer_id are binary, and a UTF-8 decode
 * would corrupt them. Each character of the raw target stands for one byte (HTTP request lines are
 * octets), so a stray unescaped byte survives too. Unknown parameters are ignored.
 */
public final class QueryParser {

    private static final int MAX_DIGITS = 19;

    private QueryParser() {
    }

    /** The query part of a request target ({@code /announce?a=b} gives {@code a=b}); "" if none. */
    public static String queryOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /** The path part of a request target, without query. */
    public static String pathOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    public static AnnounceRequest parseAnnounce(String query) {
        byte[] infoHash = null;
        byte[] peerId = null;
        long port = -1;
        long uploaded = 0;
        long downloaded = 0;
        long left = -1;
        AnnounceEvent event = AnnounceEvent.NONE;
        int numwant = -1;
        boolean compact = true;
        boolean noPeerId = false;
        String ip = null;
        byte[] key = null;
        byte[] trackerId = null;

        Params params = new Params(query);
        while (params.next()) {
            switch (param(query, params.nameFrom, params.nameTo)) {
                case INFO_HASH -> {
                    if (infoHash != null) {
                        throw new TrackerRequestException(FailureReason.REPEATED_INFO_HASH);
                    }
                    infoHash = decode(query, params.valueFrom, params.end, "info_hash");
                }
                case PEER_ID -> peerId = decode(query, params.valueFrom, params.end, "peer_id");
                case PORT -> port = number(query, params.valueFrom, params.end, "port", FailureReason.INVALID_PORT);
                case UPLOADED -> uploaded = number(query, params.valueFrom, params.end, "uploaded", FailureReason.INVALID_NUMBER);
                case DOWNLOADED -> downloaded = number(query, params.valueFrom, params.end, "downloaded", FailureReason.INVALID_NUMBER);
                case LEFT -> left = number(query, params.valueFrom, params.end, "left", FailureReason.INVALID_NUMBER);
                case NUMWANT -> numwant = (int) Math.min(Integer.MAX_VALUE,
                        number(query, params.valueFrom, params.end, "numwant", FailureReason.INVALID_NUMWANT));
                case EVENT -> {
                    String word = new String(decode(query, params.valueFrom, params.end, "event"), StandardCharsets.ISO_8859_1);
                    event = AnnounceEvent.parse(word);
                    if (event == null) {
                        throw new TrackerRequestException(FailureReason.UNKNOWN_EVENT,
                                "unknown event '" + printable(word) + "': use started, stopped, completed, paused or leave it empty");
                    }
                }
                case COMPACT -> compact = !isZero(query, params.valueFrom, params.end);
                case NO_PEER_ID -> noPeerId = !isZero(query, params.valueFrom, params.end);
                case IP -> ip = new String(decode(query, params.valueFrom, params.end, "ip"), StandardCharsets.ISO_8859_1);
                case KEY -> key = decode(query, params.valueFrom, params.end, "key");
                case TRACKERID -> trackerId = decode(query, params.valueFrom, params.end, "trackerid");
                default -> { }
            }
        }

        if (infoHash == null) {
            throw new TrackerRequestException(FailureReason.MISSING_INFO_HASH);
        }
        InfoHash hash = infoHash(infoHash);
        if (peerId == null) {
            throw new TrackerRequestException(FailureReason.MISSING_PEER_ID);
        }
        if (peerId.length != PeerId.LENGTH) {
            throw new TrackerRequestException(FailureReason.INVALID_PEER_ID,
                    "peer_id must be 20 bytes, got " + peerId.length);
        }
        if (port < 0) {
            throw new TrackerRequestException(FailureReason.MISSING_PORT);
        }
        if (port == 0 || port > 65535) {
            throw new TrackerRequestException(FailureReason.INVALID_PORT, "port must be from 1 to 65535, got " + port);
        }
        return new AnnounceRequest(hash, peerId, (int) port, uploaded, downloaded,
                left < 0 ? 1 : left, event, numwant, compact, noPeerId, ip, key, trackerId);
    }

    /** The info_hash values of a scrape, in order, duplicates dropped; at most {@code max}. */
    public static List<InfoHash> parseScrape(String query, int max) {
        Set<InfoHash> hashes = new LinkedHashSet<>(); // a set: up to `max` (10,000) values, checked in O(1) each
        Params params = new Params(query);
        while (params.next()) {
            if (params.hasValue && param(query, params.nameFrom, params.nameTo) == INFO_HASH) {
                InfoHash h = infoHash(decode(query, params.valueFrom, params.end, "info_hash"));
                if (!hashes.contains(h)) {
                    if (hashes.size() >= max) {
                        throw new TrackerRequestException(FailureReason.TOO_MANY_INFO_HASHES,
                                "at most " + max + " info_hash values in one scrape");
                    }
                    hashes.add(h);
                }
            }
        }
        return new ArrayList<>(hashes);
    }

    private static InfoHash infoHash(byte[] raw) {
        if (raw.length != InfoHash.LENGTH) {
            throw new TrackerRequestException(FailureReason.INVALID_INFO_HASH, "info_hash must be 20 bytes, got " + raw.length);
        }
        return InfoHash.of(raw);
    }

    /** Walks {@code name=value&...} one parameter at a time, by offsets into the raw query. */
    private static final class Params {
        private final String query;
        private int pos;
        int nameFrom;
        int nameTo;
        int valueFrom;
        int end;
        boolean hasValue;

        Params(String query) {
            this.query = query;
        }

        boolean next() {
            if (pos >= query.length()) {
                return false;
            }
            int amp = query.indexOf('&', pos);
            end = amp < 0 ? query.length() : amp;
            int eq = indexOf(query, '=', pos, end);
            hasValue = eq >= 0;
            nameFrom = pos;
            nameTo = hasValue ? eq : end;
            valueFrom = hasValue ? eq + 1 : end;
            pos = end + 1;
            return true;
        }
    }

    private static final int UNKNOWN = 0;
    private static final int INFO_HASH = 1;
    private static final int PEER_ID = 2;
    private static final int PORT = 3;
    private static final int UPLOADED = 4;
    private static final int DOWNLOADED = 5;
    private static final int LEFT = 6;
    private static final int NUMWANT = 7;
    private static final int EVENT = 8;
    private static final int COMPACT = 9;
    private static final int NO_PEER_ID = 10;
    private static final int IP = 11;
    private static final int KEY = 12;
    private static final int TRACKERID = 13;

    /** Which announce parameter {@code q[from, to)} names, compared in place (no String per name). */
    private static int param(String q, int from, int to) {
        switch (to - from) {
            case 2:
                return q.startsWith("ip", from) ? IP : UNKNOWN;
            case 3:
                return q.startsWith("key", from) ? KEY : UNKNOWN;
            case 4:
                return q.startsWith("port", from) ? PORT : q.startsWith("left", from) ? LEFT : UNKNOWN;
            case 5:
                return q.startsWith("event", from) ? EVENT : UNKNOWN;
            case 7:
                return q.startsWith("peer_id", from) ? PEER_ID : q.startsWith("numwant", from) ? NUMWANT
                        : q.startsWith("compact", from) ? COMPACT : UNKNOWN;
            case 8:
                return q.startsWith("uploaded", from) ? UPLOADED : UNKNOWN;
            case 9:
                return q.startsWith("info_hash", from) ? INFO_HASH : q.startsWith("trackerid", from) ? TRACKERID : UNKNOWN;
            case 10:
                return q.startsWith("downloaded", from) ? DOWNLOADED : q.startsWith("no_peer_id", from) ? NO_PEER_ID : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    private static int indexOf(String q, char c, int from, int to) {
        int i = q.indexOf(c, from);
        return i < 0 || i >= to ? -1 : i;
    }

    private static boolean isZero(String q, int from, int to) {
        return to - from == 1 && q.charAt(from) == '0';
    }

    /** Percent-decodes {@code q[from, to)} to bytes; '+' is a space, as in form encoding. */
    static byte[] decode(String q, int from, int to, String param) {
        byte[] out = new byte[to - from];
        int len = 0;
        for (int i = from; i < to; i++) {
            char c = q.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw malformed(param);
                }
                int hi = Character.digit(q.charAt(i + 1), 16);
                int lo = Character.digit(q.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw malformed(param);
                }
                out[len++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out[len++] = ' ';
            } else {
                out[len++] = (byte) c;
            }
        }
        return len == out.length ? out : Arrays.copyOf(out, len);
    }

    private static TrackerRequestException malformed(String param) {
        return new TrackerRequestException(FailureReason.MALFORMED_QUERY, "malformed percent-encoding in " + param);
    }

    /** A non-negative decimal of up to 19 digits (larger values saturate); rejects anything else. */
    private static long number(String q, int from, int to, String param, FailureReason reason) {
        if (from >= to) {
            throw new TrackerRequestException(reason, param + " is empty");
        }
        long value = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = q.charAt(i);
            if (c < '0' || c > '9') {
                throw new TrackerRequestException(reason,
                        param + " is not a non-negative decimal number: '" + printable(q.substring(from, Math.min(to, from + 24))) + "'");
            }
            if (++digits <= MAX_DIGITS) {
                value = value * 10 + (c - '0');
            } else {
                value = Long.MAX_VALUE;
            }
        }
        return value;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 32));
        for (int i = 0; i < s.length() && i < 32; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
