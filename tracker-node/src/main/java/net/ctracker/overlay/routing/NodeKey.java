package net.ctracker.overlay.routing;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A point on the 160-bit identifier ring: a node's key, or a swarm's key (its 20-byte info_hash,
 * used as is). Immutable; the bytes are copied in and out.
 *
 * <p>Keys are read as unsigned big-endian numbers. Digits are base 16 (4 bits), digit 0 is the most
 * significant. Distance is ring distance: {@code d = |a - b|}, or {@code 2^160 - d} if that is
 * smaller. Ties between two nodes equally far from a key are broken towards the numerically
 * smaller node key, so every node agrees on one root.
 */
public final class NodeKey implements Comparable<NodeKey> {

    public static final int BYTES = 20;
    public static final int BITS = BYTES * 8;
    public static final int DIGIT_BITS = 4;
    public static final int DIGITS = BITS / DIGIT_BITS;
    public static final int RADIX = 1 << DIGIT_BITS;
    private static final int WORDS = BYTES / 4;
    private static final long WORD_MASK = 0xFFFF_FFFFL;

    public static final NodeKey ZERO = new NodeKey(new int[WORDS]);

    /** Big-endian 32-bit words; never exposed. */
    private final int[] words;
    private final int hash;

    private NodeKey(int[] words) {
        this.words = words;
        this.hash = Arrays.hashCode(words);
    }

    public static NodeKey of(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("a node key has exactly " + BYTES + " bytes");
        }
        int[] w = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = ((bytes[4 * i] & 0xFF) << 24) | ((bytes[4 * i + 1] & 0xFF) << 16)
                    | ((bytes[4 * i + 2] & 0xFF) << 8) | (bytes[4 * i + 3] & 0xFF);
        }
        return new NodeKey(w);
    }

    /** Parses 40 hex digits (either case). */
    public static NodeKey parse(String hex) {
        if (hex == null || hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a node key is " + 2 * BYTES + " hex digits");
        }
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex node key: " + hex, e);
        }
    }

    public static NodeKey random(RandomGenerator random) {
        int[] w = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = random.nextInt();
        }
        return new NodeKey(w);
    }

    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < WORDS; i++) {
            out[4 * i] = (byte) (words[i] >>> 24);
            out[4 * i + 1] = (byte) (words[i] >>> 16);
            out[4 * i + 2] = (byte) (words[i] >>> 8);
            out[4 * i + 3] = (byte) words[i];
        }
        return out;
    }

    /** Digit {@code i} (0 = most significant) in base {@value #RADIX}. */
    public int digit(int i) {
        if (i < 0 || i >= DIGITS) {
            throw new IndexOutOfBoundsException("digit " + i);
        }
        return (words[i >>> 3] >>> (28 - DIGIT_BITS * (i & 7))) & (RADIX - 1);
    }

    /** Number of leading digits this key shares with {@code other}; {@value #DIGITS} if equal. */
    public int sharedPrefixLength(NodeKey other) {
        for (int i = 0; i < WORDS; i++) {
            int x = words[i] ^ other.words[i];
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) / DIGIT_BITS;
            }
        }
        return DIGITS;
    }

    /** {@code (this - other) mod 2^160}: how far {@code this} lies clockwise from {@code other}. */
    public NodeKey minus(NodeKey other) {
        int[] out = new int[WORDS];
        long borrow = 0;
        for (int i = WORDS - 1; i >= 0; i--) {
            long d = (words[i] & WORD_MASK) - (other.words[i] & WORD_MASK) - borrow;
            borrow = d < 0 ? 1 : 0;
            out[i] = (int) d;
        }
        return new NodeKey(out);
    }

    /** Clockwise distance from this key to {@code to}: {@code (to - this) mod 2^160}. */
    public NodeKey clockwiseTo(NodeKey to) {
        return to.minus(this);
    }

    /** Ring distance, as a number in [0, 2^159]. */
    public NodeKey distance(NodeKey other) {
        int[] d = new int[WORDS];
        long borrow = 0;
        for (int i = WORDS - 1; i >= 0; i--) {
            long x = (words[i] & WORD_MASK) - (other.words[i] & WORD_MASK) - borrow;
            borrow = x < 0 ? 1 : 0;
            d[i] = (int) x;
        }
        if (d[0] < 0) {
            // (this - other) >= 2^159: the other way round is shorter, 2^160 - d = two's complement of d
            long carry = 1;
            for (int i = WORDS - 1; i >= 0; i--) {
                long x = (~d[i] & WORD_MASK) + carry;
                carry = x >>> 32;
                d[i] = (int) x;
            }
        }
        return new NodeKey(d);
    }

    /**
     * Orders {@code a} and {@code b} by ring distance to {@code target}, nearer first; equal distances
     * are broken towards the numerically smaller key. Zero only if {@code a.equals(b)}.
     */
    public static int compareByDistance(NodeKey target, NodeKey a, NodeKey b) {
        int c = target.distance(a).compareTo(target.distance(b));
        return c != 0 ? c : a.compareTo(b);
    }

    /** Unsigned numeric order. */
    @Override
    public int compareTo(NodeKey other) {
        for (int i = 0; i < WORDS; i++) {
            if (words[i] != other.words[i]) {
                return Integer.compareUnsigned(words[i], other.words[i]);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeKey k && hash == k.hash && Arrays.equals(words, k.words);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** 40 lower-case hex digits. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(2 * BYTES);
        for (int w : words) {
            String h = Integer.toHexString(w);
            sb.append("00000000", h.length(), 8).append(h);
        }
        return sb.toString();
    }

    /** The first digits, for logs. */
    public String shortString() {
        return toString().substring(0, 8);
    }
}
