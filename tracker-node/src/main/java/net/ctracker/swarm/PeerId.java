package net.ctracker.swarm;

/**
 * A client's 20-byte peer id (BEP 3). Binary, never decoded as text, and never an object: the store
 * keeps peer ids as raw bytes inside {@link PeerTable}'s arrays.
 */
public final class PeerId {

    public static final int LENGTH = 20;

    private PeerId() {
    }
}
