package net.ctracker.swarm;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 20-byte SHA-1 of a torrent's info dictionary. A value type over bytes: the array is copied in
 * and never handed out. Comparable so that hash maps keep colliding keys in balanced trees, which
 * blunts hash-flooding by clients that choose their info_hash freely.
 */
public final class InfoHash implements Comparable<InfoHash> {

    public static final int LENGTH = 20;

    private final byte[] bytes;
    private final int hash;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static InfoHash of(byte[] bytes) {
        return of(bytes, 0);
    }

    public static InfoHash of(byte[] source, int offset) {
        if (source.length - offset < LENGTH) {
            throw new IllegalArgumentException("an info_hash is " + LENGTH + " bytes");
        }
        return new InfoHash(Arrays.copyOfRange(source, offset, offset + LENGTH));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the 20 bytes into {@code target} at {@code offset}, without allocating. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public int compareTo(InfoHash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
