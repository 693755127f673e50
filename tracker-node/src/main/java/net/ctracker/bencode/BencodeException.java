package net.ctracker.bencode;

/** A malformed or over-limit bencoded input; {@link #offset()} is where reading stopped. */
public final class BencodeException extends RuntimeException {

    private final int offset;

    public BencodeException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
