package net.ctracker.announce;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}, a bare address means one host) from
 * which a proxy's {@code X-Forwarded-For} and a client's {@code ip=} parameter are believed. Empty by
 * default: the public is never trusted to say where it is.
 */
public final class TrustedNetworks {

    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedNetworks(List<Block> blocks) {
        this.blocks = blocks;
    }

    public static TrustedNetworks none() {
        return new TrustedNetworks(List.of());
    }

    /** Parses CIDR strings; throws {@link IllegalArgumentException} naming the bad entry. */
    public static TrustedNetworks parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : cidrs) {
            String cidr = raw.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            InetAddress address = InetAddresses.parseLiteral(slash < 0 ? cidr : cidr.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
            }
            byte[] prefix = address.getAddress();
            int bits = prefix.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException("'" + cidr + "' has a bad prefix length");
                }
            }
            blocks.add(new Block(prefix, bits));
        }
        return new TrustedNetworks(List.copyOf(blocks));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        if (blocks.isEmpty()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the socket peer, unless that peer is a trusted proxy, in which case the
     * right-most untrusted address of {@code X-Forwarded-For}; then {@code ip=} if whoever is now
     * the client is itself trusted (a seedbox behind a trusted gateway).
     */
    public InetAddress clientAddress(InetAddress socketPeer, String forwardedFor, String ipParam) {
        InetAddress client = socketPeer;
        if (forwardedFor != null && contains(socketPeer)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = InetAddresses.parseLiteral(hops[i].trim());
                if (hop == null) {
                    break;
                }
                client = hop;
                if (!contains(hop)) {
                    break;
                }
            }
        }
        if (ipParam != null && contains(socketPeer)) {
            InetAddress stated = InetAddresses.parseLiteral(ipParam.trim());
            if (stated != null) {
                client = stated;
            }
        }
        return client;
    }
}
