package net.ctracker.overlay.message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import net.ctracker.overlay.message.MessageFormatException.Reason;

/**
 * Reads an application payload written by {@link PayloadWriter}: every field bounds-checked, so a
 * short, oversized or malformed payload from another node is a {@link MessageFormatException} with
 * the offset where it went wrong, never an unchecked exception or an allocation it asked for.
 */
public class PayloadReader {
    private final ByteBuffer buf;

    /** A payload of at most {@code maxBytes}; a longer one is refused here. */
    public PayloadReader(byte[] payload, int maxBytes) {
        if (payload.length > maxBytes) {
            throw new MessageFormatException(Reason.TOO_LARGE, maxBytes, "payload of " + payload.length + " bytes");
        }
        this.buf = ByteBuffer.wrap(payload);
    }

    /** Reads the header every application payload starts with: its version (must be {@code version}), then the kind's code. */
    public final int header(int version) {
        int v = u8();
        if (v != version) {
            throw new MessageFormatException(Reason.BAD_VERSION, 0, "version " + v);
        }
        return u8();
    }

    public final int offset() {
        return buf.position();
    }

    public final int remaining() {
        return buf.remaining();
    }

    /** Refuses bytes left after the message. */
    public final void end() {
        if (buf.hasRemaining()) {
            throw new MessageFormatException(Reason.TRAILING_BYTES, offset(), buf.remaining() + " bytes after the message");
        }
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw new MessageFormatException(Reason.TRUNCATED, buf.position(), "need " + n + " bytes, have " + buf.remaining());
        }
    }

    public final int u8() {
        need(1);
        return buf.get() & 0xFF;
    }

    public final int u8Limited(int max, String what) {
        int at = offset();
        return atMost(u8(), max, at, what);
    }

    /** A byte of flags, none outside {@code allowed}. */
    public final int flags(int allowed) {
        int at = offset();
        int v = u8();
        if ((v & ~allowed) != 0) {
            throw new MessageFormatException(Reason.BAD_VALUE, at, "unknown flag bits " + Integer.toBinaryString(v));
        }
        return v;
    }

    public final int u16() {
        need(2);
        return buf.getShort() & 0xFFFF;
    }

    public final int u16Limited(int max, String what) {
        int at = offset();
        return atMost(u16(), max, at, what);
    }

    private static int atMost(int v, int max, int at, String what) {
        if (v > max) {
            throw new MessageFormatException(Reason.BAD_VALUE, at, what + " out of range: " + v);
        }
        return v;
    }

    /** A count of items to follow, at most {@code max}. */
    public final int count16(int max) {
        int at = offset();
        int n = u16();
        if (n > max) {
            throw new MessageFormatException(Reason.COUNT_LIMIT, at, n + " items over " + max);
        }
        return n;
    }

    public final int i32() {
        need(4);
        return buf.getInt();
    }

    public final int u31(String what) {
        int at = offset();
        int v = i32();
        if (v < 0) {
            throw new MessageFormatException(Reason.BAD_VALUE, at, what + " out of range: " + Integer.toUnsignedString(v));
        }
        return v;
    }

    public final long i64() {
        need(8);
        return buf.getLong();
    }

    public final long nonNegative(String what) {
        int at = offset();
        long v = i64();
        if (v < 0) {
            throw new MessageFormatException(Reason.BAD_VALUE, at, what + " is negative");
        }
        return v;
    }

    public final double f32(String what) {
        int at = offset();
        need(4);
        float v = buf.getFloat();
        if (!Float.isFinite(v)) {
            throw new MessageFormatException(Reason.BAD_VALUE, at, what + " is not finite");
        }
        return v;
    }

    public final byte[] raw(int n) {
        need(n);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    /** UTF-8 of at most {@code max} bytes after their length in one byte (two if {@code wide}). */
    public final String str(int max, boolean wide) {
        int at = offset();
        int len = wide ? u16() : u8();
        if (len > max) {
            throw new MessageFormatException(Reason.LENGTH_LIMIT, at, "string of " + len + " bytes over " + max);
        }
        if (len > buf.remaining()) {
            throw new MessageFormatException(Reason.TRUNCATED, at, "string of " + len + " bytes, " + buf.remaining() + " left");
        }
        byte[] b = raw(len);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new MessageFormatException(Reason.BAD_UTF8, at, "string is not UTF-8");
        }
    }
}
