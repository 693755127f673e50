package net.ctracker.announce.udp;

import java.nio.ByteBuffer;

/** Builds BEP 15 requests for tests, the way a client writes them. */
final class UdpPackets {

    static final int STARTED = 2;

    private UdpPackets() {
    }

    static byte[] connect(int transactionId) {
        return ByteBuffer.allocate(16).putLong(UdpTrackerCodec.PROTOCOL_ID).putInt(0).putInt(transactionId).array();
    }

    static byte[] announce(long connectionId, int transactionId, byte[] infoHash, int peer, int event, long left,
                           int numwant, int port, byte... options) {
        ByteBuffer b = ByteBuffer.allocate(98 + options.length);
        b.putLong(connectionId).putInt(1).putInt(transactionId).put(infoHash);
        byte[] peerId = String.format("-UT0001-%012d", peer).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(peerId).putLong(0).putLong(left).putLong(0).putInt(event).putInt(0).putInt(peer).putInt(numwant)
                .putShort((short) port).put(options);
        return b.array();
    }

    static byte[] scrape(long connectionId, int transactionId, byte[]... hashes) {
        ByteBuffer b = ByteBuffer.allocate(16 + 20 * hashes.length);
        b.putLong(connectionId).putInt(2).putInt(transactionId);
        for (byte[] h : hashes) {
            b.put(h);
        }
        return b.array();
    }

    static byte[] hash(int seed) {
        byte[] h = new byte[20];
        for (int i = 0; i < 20; i++) {
            h[i] = (byte) (seed * 31 + i);
        }
        return h;
    }

    /** BEP 41 URLData options for {@code url}, split into chunks of at most 255 bytes. */
    static byte[] urlData(String url) {
        byte[] text = url.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(text.length + 2 * (text.length / 255 + 1));
        for (int at = 0; at < text.length; at += 255) {
            int n = Math.min(255, text.length - at);
            b.put((byte) 2).put((byte) n).put(text, at, n);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static int getInt(byte[] d, int at) {
        return ByteBuffer.wrap(d).getInt(at);
    }

    static long getLong(byte[] d, int at) {
        return ByteBuffer.wrap(d).getLong(at);
    }
}
