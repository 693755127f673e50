package net.ctracker.announce.udp;

/** A datagram that breaks the BEP 15 / BEP 41 grammar: the reason and the byte offset where it broke. */
public final class UdpFormatException extends Exception {

    private final UdpRejection reason;
    private final int offset;

    UdpFormatException(UdpRejection reason, String message, int offset) {
        super(message, null, false, false);
        this.reason = reason;
        this.offset = offset;
    }

    public UdpRejection reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }
}
