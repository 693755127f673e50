package net.ctracker.overlay.message;

/** Wire tags of the overlay messages. The codes are part of the wire format: never renumber. */
public enum MessageType {
    JOIN(1),
    PIGGY(2),
    JOIN_ACK(3),
    JOIN_NACK(4),
    UPDATE(5),
    PING(6),
    LEAF_EXCHANGE(7),
    ROW_EXCHANGE(8),
    ROUTE(9),
    DIRECT(10),
    LOOKUP(11),
    LOOKUP_REPLY(12);

    private static final MessageType[] BY_CODE = new MessageType[16];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or null if unknown. */
    public static MessageType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
