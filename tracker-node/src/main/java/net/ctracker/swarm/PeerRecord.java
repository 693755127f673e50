package net.ctracker.swarm;

/** One stored peer, exported for replication and inspection (not used on the announce path). */
public record PeerRecord(byte[] endpoint, byte[] peerId, boolean seeder, long lastAnnounceMillis) {
}
