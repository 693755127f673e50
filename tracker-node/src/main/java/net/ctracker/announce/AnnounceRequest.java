package net.ctracker.announce;

import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;

/**
 * One parsed announce (BEP 3). Binary values stay bytes. {@code numwant} is -1 when absent;
 * {@code ip} is the raw {@code ip=} value, honoured only from trusted networks.
 */
public record AnnounceRequest(
        InfoHash infoHash,
        byte[] peerId,
        int port,
        long uploaded,
        long downloaded,
        long left,
        AnnounceEvent event,
        int numwant,
        boolean compact,
        boolean noPeerId,
        String ip,
        byte[] key,
        byte[] trackerId) {
}
