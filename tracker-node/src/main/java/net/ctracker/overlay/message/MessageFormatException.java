package net.ctracker.overlay.message;

/** A message body that {@link MessageCodec} refuses, with the reason and the byte offset where it was found. */
public final class MessageFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a body was refused. */
    public enum Reason {
        TOO_LARGE,
        TRUNCATED,
        BAD_VERSION,
        UNKNOWN_TYPE,
        LENGTH_LIMIT,
        COUNT_LIMIT,
        BAD_UTF8,
        BAD_VALUE,
        TRAILING_BYTES
    }

    private final Reason reason;
    private final int offset;

    public MessageFormatException(Reason reason, int offset, String detail) {
        super(reason + " at offset " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }
}
