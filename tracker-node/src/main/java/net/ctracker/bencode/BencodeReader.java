package net.ctracker.bencode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strict bencode decoder with stated limits. Values come back as {@code Long}, {@code byte[]},
 * {@code List<Object>} and {@code Map<ByteKey, Object>} (keys compared as raw bytes).
 *
 * <p>Rejected, each with the offset where it was found: truncated input, leading zeros and
 * {@code -0} in integers, integers outside {@code long}, strings longer than the limit or the input,
 * dictionary keys out of order or repeated, nesting deeper than the limit, and trailing bytes.
 */
public final class BencodeReader {

    /** Limits for one decode: maximum nesting depth and maximum byte-string length. */
    public record Limits(int maxDepth, int maxStringLength) {
        public static final Limits DEFAULT = new Limits(32, 1 << 20);

        public Limits {
            if (maxDepth < 1 || maxStringLength < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final byte[] in;
    private final int end;
    private final Limits limits;
    private int pos;

    private BencodeReader(byte[] in, int offset, int length, Limits limits) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.limits = limits;
    }

    public static Object decode(byte[] input) {
        return decode(input, Limits.DEFAULT);
    }

    public static Object decode(byte[] input, Limits limits) {
        BencodeReader reader = new BencodeReader(input, 0, input.length, limits);
        Object value = reader.value(0);
        if (reader.pos != reader.end) {
            throw new BencodeException("trailing bytes after the value", reader.pos);
        }
        return value;
    }

    private Object value(int depth) {
        if (pos >= end) {
            throw new BencodeException("unexpected end of input", pos);
        }
        byte b = in[pos];
        if (b == 'i') {
            return integer();
        }
        if (b >= '0' && b <= '9') {
            return string();
        }
        if (b == 'l' || b == 'd') {
            if (depth + 1 > limits.maxDepth()) {
                throw new BencodeException("nesting deeper than " + limits.maxDepth(), pos);
            }
            return b == 'l' ? list(depth + 1) : dict(depth + 1);
        }
        throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b & 0xff), pos);
    }

    private Long integer() {
        int start = pos;
        pos++; // 'i'
        boolean negative = false;
        if (pos < end && in[pos] == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        long value = 0;
        while (pos < end && in[pos] != 'e') {
            byte d = in[pos];
            if (d < '0' || d > '9') {
                throw new BencodeException("non-digit in integer", pos);
            }
            int digit = d - '0';
            // accumulate negatively so that Long.MIN_VALUE fits
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw new BencodeException("integer out of range", start);
            }
            value = value * 10 - digit;
            pos++;
        }
        if (pos >= end) {
            throw new BencodeException("unterminated integer", start);
        }
        int digits = pos - digitsStart;
        if (digits == 0) {
            throw new BencodeException("empty integer", start);
        }
        if (in[digitsStart] == '0' && (digits > 1 || negative)) {
            throw new BencodeException(negative ? "negative zero" : "leading zero in integer", digitsStart);
        }
        pos++; // 'e'
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new BencodeException("integer out of range", start);
            }
            value = -value;
        }
        return value;
    }

    private byte[] string() {
        int start = pos;
        long length = 0;
        while (pos < end && in[pos] != ':') {
            byte d = in[pos];
            if (d < '0' || d > '9') {
                throw new BencodeException("non-digit in string length", pos);
            }
            length = length * 10 + (d - '0');
            if (length > limits.maxStringLength()) {
                throw new BencodeException("string longer than " + limits.maxStringLength(), start);
            }
            pos++;
        }
        if (pos >= end) {
            throw new BencodeException("unterminated string length", start);
        }
        if (pos - start > 1 && in[start] == '0') {
            throw new BencodeException("leading zero in string length", start);
        }
        pos++; // ':'
        if (length > end - pos) {
            throw new BencodeException("string runs past the end of input", start);
        }
        byte[] value = new byte[(int) length];
        System.arraycopy(in, pos, value, 0, value.length);
        pos += value.length;
        return value;
    }

    private List<Object> list(int depth) {
        pos++; // 'l'
        List<Object> items = new ArrayList<>();
        while (true) {
            if (pos >= end) {
                throw new BencodeException("unterminated list", pos);
            }
            if (in[pos] == 'e') {
                pos++;
                return items;
            }
            items.add(value(depth));
        }
    }

    private Map<ByteKey, Object> dict(int depth) {
        pos++; // 'd'
        Map<ByteKey, Object> entries = new TreeMap<>();
        ByteKey previous = null;
        while (true) {
            if (pos >= end) {
                throw new BencodeException("unterminated dictionary", pos);
            }
            if (in[pos] == 'e') {
                pos++;
                return entries;
            }
            int keyOffset = pos;
            if (in[pos] < '0' || in[pos] > '9') {
                throw new BencodeException("dictionary key is not a string", pos);
            }
            ByteKey key = new ByteKey(string());
            if (previous != null && previous.compareTo(key) >= 0) {
                throw new BencodeException(previous.equals(key) ? "repeated dictionary key" : "dictionary keys out of order", keyOffset);
            }
            entries.put(key, value(depth));
            previous = key;
        }
    }
}
