package net.ctracker.overlay.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import net.ctracker.overlay.message.MessageFormatException.Reason;

/**
 * Writes an application payload carried by the overlay (the partial trackers', the admin view's):
 * big-endian fields, every value checked against its limit, never more than {@code maxBytes}. A value
 * out of range is a {@link MessageFormatException}, so a bug cannot put a message on the wire that
 * the other side would refuse.
 */
public class PayloadWriter {
    private final int maxBytes;
    private ByteBuffer buf;

    public PayloadWriter(int initialBytes, int maxBytes) {
        this.maxBytes = maxBytes;
        this.buf = ByteBuffer.allocate(Math.min(initialBytes, maxBytes));
    }

    public final int size() {
        return buf.position();
    }

    private void room(int n) {
        if (buf.position() + n > maxBytes) {
            throw new MessageFormatException(Reason.TOO_LARGE, buf.position(), "payload over " + maxBytes + " bytes");
        }
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(maxBytes, Math.max(buf.capacity() * 2, buf.position() + n)));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    public final void u8(int v) {
        room(1);
        buf.put((byte) v);
    }

    public final void u8Limited(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new MessageFormatException(Reason.BAD_VALUE, size(), what + " out of range: " + v);
        }
        u8(v);
    }

    public final void u16Limited(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new MessageFormatException(Reason.BAD_VALUE, size(), what + " out of range: " + v);
        }
        room(2);
        buf.putShort((short) v);
    }

    /** A count of items to follow, at most {@code max}. */
    public final void count16(int n, int max) {
        if (n > max) {
            throw new MessageFormatException(Reason.COUNT_LIMIT, size(), n + " items over " + max);
        }
        room(2);
        buf.putShort((short) n);
    }

    public final void u31(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new MessageFormatException(Reason.BAD_VALUE, size(), what + " out of range: " + v);
        }
        i32((int) v);
    }

    public final void i32(int v) {
        room(4);
        buf.putInt(v);
    }

    public final void i64(long v) {
        room(8);
        buf.putLong(v);
    }

    public final void nonNegative(long v, String what) {
        if (v < 0) {
            throw new MessageFormatException(Reason.BAD_VALUE, size(), what + " is negative");
        }
        i64(v);
    }

    public final void f32(double v) {
        room(4);
        buf.putFloat((float) v);
    }

    public final void raw(byte[] b) {
        room(b.length);
        buf.put(b);
    }

    /** UTF-8 bytes of at most {@code max}, after their length in one byte (two if {@code wide}). */
    public final void str(String s, int max, boolean wide) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new MessageFormatException(Reason.LENGTH_LIMIT, size(), "string of " + b.length + " bytes over " + max);
        }
        if (wide) {
            room(2);
            buf.putShort((short) b.length);
        } else {
            u8(b.length);
        }
        raw(b);
    }

    /** What was written; the writer is spent. */
    public final byte[] bytes() {
        byte[] out = new byte[buf.position()];
        buf.flip();
        buf.get(out);
        return out;
    }
}
