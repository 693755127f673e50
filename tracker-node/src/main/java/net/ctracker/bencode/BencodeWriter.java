package net.ctracker.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends bencoded values to a growable byte buffer. Reusable: {@link #reset()} keeps the buffer,
 * so a thread that encodes many replies allocates once. The caller writes dictionary keys in
 * sorted (raw byte) order, as BEP 3 requires; this class does not reorder them.
 */
public final class BencodeWriter {

    private byte[] buf;
    private int len;

    public BencodeWriter() {
        this(256);
    }

    public BencodeWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public BencodeWriter reset() {
        len = 0;
        return this;
    }

    public BencodeWriter beginDict() {
        return raw('d');
    }

    public BencodeWriter beginList() {
        return raw('l');
    }

    public BencodeWriter end() {
        return raw('e');
    }

    public BencodeWriter integer(long value) {
        raw('i');
        number(value);
        return raw('e');
    }

    /** An ASCII string, written as bytes. */
    public BencodeWriter string(String ascii) {
        int n = ascii.length();
        number(n);
        raw(':');
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** A UTF-8 text string (for human-readable values such as failure reasons). */
    public BencodeWriter text(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public BencodeWriter bytes(byte[] value) {
        return bytes(value, 0, value.length);
    }

    public BencodeWriter bytes(byte[] value, int offset, int length) {
        number(length);
        raw(':');
        ensure(length);
        System.arraycopy(value, offset, buf, len, length);
        len += length;
        return this;
    }

    /** Key and integer value in one call, for the common dictionary entry. */
    public BencodeWriter entry(String key, long value) {
        return string(key).integer(value);
    }

    public int length() {
        return len;
    }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private BencodeWriter raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    private void number(long value) {
        ensure(20);
        if (value == 0) {
            buf[len++] = '0';
            return;
        }
        if (value < 0) {
            buf[len++] = '-';
            if (value == Long.MIN_VALUE) {
                byte[] digits = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(digits, 0, buf, len, digits.length);
                len += digits.length;
                return;
            }
            value = -value;
        }
        int start = len;
        while (value > 0) {
            buf[len++] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
