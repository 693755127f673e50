package net.ctracker.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A bencode dictionary key: raw bytes, ordered as unsigned bytes (BEP 3 sort order). */
public final class ByteKey implements Comparable<ByteKey> {

    private final byte[] bytes;

    public ByteKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public static ByteKey of(String ascii) {
        return new ByteKey(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public int compareTo(ByteKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
