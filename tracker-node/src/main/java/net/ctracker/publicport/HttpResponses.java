package net.ctracker.publicport;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The public port's only two responses, written straight into one buffer: status line, three
 * headers and the body, so that a reply is one {@code write} and no header objects. The bytes are
 * what Netty's encoder wrote for the same responses (lower-case header names).
 */
final class HttpResponses {

    private static final byte[] OK = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND = "HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\r\nconnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private HttpResponses() {
    }

    /** A 200 (or, with {@code notFound}, a 404) carrying {@code body[0, length)}. */
    static ByteBuf encode(ByteBufAllocator alloc, boolean notFound, byte[] body, int length, boolean keepAlive) {
        byte[] start = notFound ? NOT_FOUND : OK;
        byte[] end = keepAlive ? END : CLOSE;
        ByteBuf out = alloc.ioBuffer(start.length + 10 + end.length + length);
        out.writeBytes(start);
        writeDecimal(out, length);
        out.writeBytes(end);
        out.writeBytes(body, 0, length);
        return out;
    }

    private static void writeDecimal(ByteBuf out, int value) {
        if (value >= 10) {
            writeDecimal(out, value / 10);
        }
        out.writeByte('0' + value % 10);
    }
}
