package net.ctracker.announce;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import net.ctracker.bencode.BencodeWriter;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.SwarmCounts;

/**
 * Encodes tracker replies. Keys are written in raw byte order, as BEP 3 demands of dictionaries.
 * Compact peers (BEP 23) and {@code peers6} (BEP 7) are copied straight from the selection buffer.
 */
public final class AnnounceResponseWriter {

    /**
     * What every announce reply carries besides the peers. Byte strings are encoded once here, not
     * per reply: {@code warningMessage} is UTF-8, null or empty for none.
     */
    public record ReplySettings(int intervalSeconds, int minIntervalSeconds, byte[] trackerId, byte[] warningMessage) {
    }

    private AnnounceResponseWriter() {
    }

    public static void failure(BencodeWriter w, String reason) {
        w.beginDict().string("failure reason").text(reason).end();
    }

    /**
     * @param externalIp the requester's address as seen (BEP 24)
     * @param peers6 whether to write {@code peers6} even when empty (the requester is IPv6)
     */
    public static void announce(BencodeWriter w, ReplySettings settings, PeerSelection selection, byte[] externalIp,
                                boolean compact, boolean noPeerId, boolean peers6) {
        w.beginDict();
        w.entry("complete", selection.complete());
        w.string("external ip").bytes(externalIp);
        w.entry("incomplete", selection.incomplete());
        w.entry("interval", settings.intervalSeconds());
        w.entry("min interval", settings.minIntervalSeconds());
        if (compact) {
            PeerSelection.Family v4 = selection.v4();
            w.string("peers").bytes(v4.endpoints(), 0, v4.count() * v4.endpointLength());
            PeerSelection.Family v6 = selection.v6();
            if (peers6 || v6.count() > 0) {
                w.string("peers6").bytes(v6.endpoints(), 0, v6.count() * v6.endpointLength());
            }
        } else {
            w.string("peers").beginList();
            dictionaryPeers(w, selection.v4(), noPeerId);
            dictionaryPeers(w, selection.v6(), noPeerId);
            w.end();
        }
        if (settings.trackerId() != null) {
            w.string("tracker id").bytes(settings.trackerId());
        }
        if (settings.warningMessage() != null && settings.warningMessage().length > 0) {
            w.string("warning message").bytes(settings.warningMessage());
        }
        w.end();
    }

    public static void scrape(BencodeWriter w, List<InfoHash> hashes, List<SwarmCounts> counts, int minIntervalSeconds) {
        w.beginDict();
        w.string("files").beginDict();
        byte[] key = new byte[InfoHash.LENGTH];
        // BEP 3 wants keys sorted: callers pass hashes in any order, so sort an index
        Integer[] order = new Integer[hashes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> hashes.get(a).compareTo(hashes.get(b)));
        for (int i : order) {
            hashes.get(i).copyTo(key, 0);
            SwarmCounts c = counts.get(i);
            w.bytes(key).beginDict()
                    .entry("complete", c.complete())
                    .entry("downloaded", c.downloaded())
                    .entry("incomplete", c.incomplete())
                    .end();
        }
        w.end();
        w.string("flags").beginDict().entry("min_request_interval", minIntervalSeconds).end();
        w.end();
    }

    private static void dictionaryPeers(BencodeWriter w, PeerSelection.Family family, boolean noPeerId) {
        int len = family.endpointLength();
        byte[] endpoints = family.endpoints();
        for (int i = 0; i < family.count(); i++) {
            int at = i * len;
            byte[] address = java.util.Arrays.copyOfRange(endpoints, at, at + len - 2);
            int port = (endpoints[at + len - 2] & 0xff) << 8 | (endpoints[at + len - 1] & 0xff);
            w.beginDict();
            w.string("ip").string(text(address));
            if (!noPeerId) {
                w.string("peer id").bytes(family.peerIds(), i * 20, 20);
            }
            w.entry("port", port);
            w.end();
        }
    }

    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a stored address has a bad length", e);
        }
    }
}
