package net.ctracker.swarm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * The 20-byte SHA-1 of a torrent's info dictionary. A value type over bytes, held as two longs and
 * an int (big-endian), never as an array: a map lookup compares the key it finds without a second
 * object to load (the store's swarm lookup is a cache miss per pointer followed), and a key takes
 * 40 bytes of heap where an object and its array took 64. Comparable (unsigned, byte by byte) so
 * that hash maps keep colliding keys in balanced trees, which blunts hash-flooding by clients that
 * choose their info_hash freely.
 */
public final class InfoHash implements Comparable<InfoHash> {

    public static final int LENGTH = 20;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Bytes 0-7, 8-15 and 16-19. */
    private final long first;
    private final long second;
    private final int last;
    /** {@code Arrays.hashCode} of the 20 bytes. */
    private final int hash;

    private InfoHash(long first, long second, int last, int hash) {
        this.first = first;
        this.second = second;
        this.last = last;
        this.hash = hash;
    }

    public static InfoHash of(byte[] bytes) {
        return of(bytes, 0);
    }

    public static InfoHash of(byte[] source, int offset) {
        if (offset < 0 || source.length - offset < LENGTH) {
            throw new IllegalArgumentException("an info_hash is " + LENGTH + " bytes");
        }
        int hash = 1;
        for (int i = offset; i < offset + LENGTH; i++) {
            hash = 31 * hash + source[i];
        }
        return new InfoHash((long) LONG.get(source, offset), (long) LONG.get(source, offset + 8),
                (int) INT.get(source, offset + 16), hash);
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        copyTo(b, 0);
        return b;
    }

    /** Copies the 20 bytes into {@code target} at {@code offset}, without allocating. */
    public void copyTo(byte[] target, int offset) {
        if (offset < 0 || target.length - offset < LENGTH) {
            throw new IndexOutOfBoundsException("no room for an info_hash at " + offset + " of " + target.length);
        }
        LONG.set(target, offset, first);
        LONG.set(target, offset + 8, second);
        INT.set(target, offset + 16, last);
    }

    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    @Override
    public int compareTo(InfoHash o) {
        int c = Long.compareUnsigned(first, o.first);
        if (c == 0) {
            c = Long.compareUnsigned(second, o.second);
        }
        return c != 0 ? c : Integer.compareUnsigned(last, o.last);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && hash == other.hash && first == other.first && second == other.second
                && last == other.last;
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
