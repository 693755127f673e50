package net.ctracker.overlay.message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Join;
import net.ctracker.overlay.message.Message.JoinAck;
import net.ctracker.overlay.message.Message.JoinNack;
import net.ctracker.overlay.message.Message.LeafExchange;
import net.ctracker.overlay.message.Message.Lookup;
import net.ctracker.overlay.message.Message.LookupReply;
import net.ctracker.overlay.message.Message.Piggy;
import net.ctracker.overlay.message.Message.Ping;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.message.Message.RowExchange;
import net.ctracker.overlay.message.Message.Update;
import net.ctracker.overlay.message.MessageFormatException.Reason;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * Binary wire format of an {@link Envelope}; the body of one POST between nodes.
 *
 * <pre>
 * envelope := version:u8 (=1) type:u8 from:handle body
 * handle   := key:20 bytes  address:str16  region:str8
 * str16    := length:u16 UTF-8 bytes       str8 := length:u8 UTF-8 bytes
 * list     := count:u16 items
 * bool     := u8 (0 or 1)
 * JOIN          joiner:handle hops:u8
 * PIGGY         row:u8 entries:list(handle)
 * JOIN_ACK      leafSet:list(handle)
 * JOIN_NACK     retryAfterMillis:i64 (>= 0) senderJoined:bool
 * UPDATE        joined:bool
 * PING          obituaries:list(key:20 ageMillis:i64 (>= 0))
 * LEAF_EXCHANGE leaves:list(handle) replyWanted:bool
 * ROW_EXCHANGE  row:u8 entries:list(handle) replyWanted:bool
 * ROUTE         key:20 origin:handle hops:u8 appType:str8 payload:(length:i32 bytes)
 * DIRECT        appType:str8 payload:(length:i32 bytes)
 * LOOKUP        key:20 origin:handle requestId:i64 path:list(key)
 * LOOKUP_REPLY  requestId:i64 root:handle path:list(key)
 * </pre>
 *
 * Limits (checked on both encode and decode, the error names the offset): whole body
 * {@value #MAX_BODY_BYTES} bytes; address {@value #MAX_ADDRESS_BYTES}; region and application type
 * {@value #MAX_LABEL_BYTES}; payload {@value #MAX_PAYLOAD_BYTES}; handles per list
 * {@value #MAX_HANDLES}; obituaries per PING {@value #MAX_OBITUARIES}; path length and hops {@value #MAX_PATH}; rows below {@value NodeKey#DIGITS}.
 * Trailing bytes are an error. Integrity and authenticity (HMAC with a cluster secret) are the
 * transport's concern, outside this format.
 */
public final class MessageCodec {

    public static final int VERSION = 1;
    public static final int MAX_BODY_BYTES = 128 * 1024;
    public static final int MAX_ADDRESS_BYTES = 255;
    /** Failure notices carried by one PING. */
    public static final int MAX_OBITUARIES = 128;
    public static final int MAX_LABEL_BYTES = 64;
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final int MAX_HANDLES = 128;
    public static final int MAX_PATH = 64;

    private MessageCodec() {
    }

    // ---------------------------------------------------------------- encoding

    public static byte[] encode(Envelope envelope) {
        Writer w = new Writer();
        w.u8(VERSION);
        w.u8(envelope.message().type().code());
        w.handle(envelope.from());
        envelope.message().accept(new BodyWriter(w));
        return w.toByteArray();
    }

    /** Writes one message's body; a visitor, so every message type must have its layout here. */
    private static final class BodyWriter implements Message.Visitor<Void> {
        private final Writer w;

        BodyWriter(Writer w) {
            this.w = w;
        }

        @Override
        public Void join(Join m) {
            w.handle(m.joiner());
            w.u8Limited(m.hops(), MAX_PATH, "hops");
            return null;
        }

        @Override
        public Void piggy(Piggy m) {
            w.row(m.row());
            w.handles(m.entries());
            return null;
        }

        @Override
        public Void joinAck(JoinAck m) {
            w.handles(m.leafSet());
            return null;
        }

        @Override
        public Void joinNack(JoinNack m) {
            if (m.retryAfterMillis() < 0) {
                throw new MessageFormatException(Reason.BAD_VALUE, w.size(), "negative retry delay");
            }
            w.i64(m.retryAfterMillis());
            w.bool(m.senderJoined());
            return null;
        }

        @Override
        public Void update(Update m) {
            w.bool(m.joined());
            return null;
        }

        @Override
        public Void ping(Ping m) {
            w.count(m.obituaries().size(), MAX_OBITUARIES);
            for (Message.Obituary o : m.obituaries()) {
                w.key(o.key());
                w.i64(o.ageMillis());
            }
            return null;
        }

        @Override
        public Void leafExchange(LeafExchange m) {
            w.handles(m.leaves());
            w.bool(m.replyWanted());
            return null;
        }

        @Override
        public Void rowExchange(RowExchange m) {
            w.row(m.row());
            w.handles(m.entries());
            w.bool(m.replyWanted());
            return null;
        }

        @Override
        public Void route(Route m) {
            w.key(m.key());
            w.handle(m.origin());
            w.u8Limited(m.hops(), MAX_PATH, "hops");
            w.str8(m.appType(), MAX_LABEL_BYTES);
            w.payload(m.payload());
            return null;
        }

        @Override
        public Void direct(Direct m) {
            w.str8(m.appType(), MAX_LABEL_BYTES);
            w.payload(m.payload());
            return null;
        }

        @Override
        public Void lookup(Lookup m) {
            w.key(m.key());
            w.handle(m.origin());
            w.i64(m.requestId());
            w.keys(m.path());
            return null;
        }

        @Override
        public Void lookupReply(LookupReply m) {
            w.i64(m.requestId());
            w.handle(m.root());
            w.keys(m.path());
            return null;
        }
    }

    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(256);

        int size() {
            return buf.position();
        }

        private void room(int n) {
            if (buf.position() + n > MAX_BODY_BYTES) {
                throw new MessageFormatException(Reason.TOO_LARGE, buf.position(), "body over " + MAX_BODY_BYTES + " bytes");
            }
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void u8(int v) {
            room(1);
            buf.put((byte) v);
        }

        void u8Limited(int v, int max, String what) {
            if (v < 0 || v > max) {
                throw new MessageFormatException(Reason.BAD_VALUE, size(), what + " out of range: " + v);
            }
            u8(v);
        }

        void row(int row) {
            if (row < 0 || row >= NodeKey.DIGITS) {
                throw new MessageFormatException(Reason.BAD_VALUE, size(), "row out of range: " + row);
            }
            u8(row);
        }

        void bool(boolean b) {
            u8(b ? 1 : 0);
        }

        void i64(long v) {
            room(8);
            buf.putLong(v);
        }

        void key(NodeKey k) {
            room(NodeKey.BYTES);
            buf.put(k.toBytes());
        }

        void str8(String s, int max) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > max) {
                throw new MessageFormatException(Reason.LENGTH_LIMIT, size(), "string of " + b.length + " bytes over " + max);
            }
            u8(b.length);
            room(b.length);
            buf.put(b);
        }

        void str16(String s, int max) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > max) {
                throw new MessageFormatException(Reason.LENGTH_LIMIT, size(), "string of " + b.length + " bytes over " + max);
            }
            room(2 + b.length);
            buf.putShort((short) b.length);
            buf.put(b);
        }

        void handle(NodeHandle h) {
            key(h.key());
            str16(h.address(), MAX_ADDRESS_BYTES);
            str8(h.region(), MAX_LABEL_BYTES);
        }

        void count(int n, int max) {
            if (n > max) {
                throw new MessageFormatException(Reason.COUNT_LIMIT, size(), n + " items over " + max);
            }
            room(2);
            buf.putShort((short) n);
        }

        void handles(List<NodeHandle> hs) {
            count(hs.size(), MAX_HANDLES);
            hs.forEach(this::handle);
        }

        void keys(List<NodeKey> ks) {
            count(ks.size(), MAX_PATH);
            ks.forEach(this::key);
        }

        void payload(byte[] p) {
            if (p.length > MAX_PAYLOAD_BYTES) {
                throw new MessageFormatException(Reason.LENGTH_LIMIT, size(), "payload of " + p.length + " bytes over " + MAX_PAYLOAD_BYTES);
            }
            room(4 + p.length);
            buf.putInt(p.length);
            buf.put(p);
        }

        byte[] toByteArray() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }

    // ---------------------------------------------------------------- decoding

    public static Envelope decode(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new MessageFormatException(Reason.TOO_LARGE, MAX_BODY_BYTES, "body of " + body.length + " bytes");
        }
        Reader r = new Reader(ByteBuffer.wrap(body));
        int version = r.u8();
        if (version != VERSION) {
            throw new MessageFormatException(Reason.BAD_VERSION, 0, "version " + version);
        }
        int code = r.u8();
        MessageType type = MessageType.ofCode(code);
        if (type == null) {
            throw new MessageFormatException(Reason.UNKNOWN_TYPE, 1, "type code " + code);
        }
        NodeHandle from = r.handle();
        Message message = switch (type) {
            case JOIN -> new Join(r.handle(), r.u8Limited(MAX_PATH, "hops"));
            case PIGGY -> new Piggy(r.row(), r.handles());
            case JOIN_ACK -> new JoinAck(r.handles());
            case JOIN_NACK -> {
                int at = r.offset();
                long delay = r.i64();
                if (delay < 0) {
                    throw new MessageFormatException(Reason.BAD_VALUE, at, "negative retry delay");
                }
                yield new JoinNack(delay, r.bool());
            }
            case UPDATE -> new Update(r.bool());
            case PING -> new Ping(r.obituaries());
            case LEAF_EXCHANGE -> new LeafExchange(r.handles(), r.bool());
            case ROW_EXCHANGE -> new RowExchange(r.row(), r.handles(), r.bool());
            case ROUTE -> new Route(r.key(), r.handle(), r.u8Limited(MAX_PATH, "hops"),
                    r.str8(MAX_LABEL_BYTES), r.payload());
            case DIRECT -> new Direct(r.str8(MAX_LABEL_BYTES), r.payload());
            case LOOKUP -> new Lookup(r.key(), r.handle(), r.i64(), r.keys());
            case LOOKUP_REPLY -> new LookupReply(r.i64(), r.handle(), r.keys());
        };
        if (r.buf.hasRemaining()) {
            throw new MessageFormatException(Reason.TRAILING_BYTES, r.offset(), r.buf.remaining() + " bytes after the message");
        }
        return new Envelope(from, message);
    }

    private static final class Reader {
        final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf;
        }

        int offset() {
            return buf.position();
        }

        private void need(int n) {
            if (buf.remaining() < n) {
                throw new MessageFormatException(Reason.TRUNCATED, buf.position(), "need " + n + " bytes, have " + buf.remaining());
            }
        }

        int u8() {
            need(1);
            return buf.get() & 0xFF;
        }

        int u8Limited(int max, String what) {
            int at = offset();
            int v = u8();
            if (v > max) {
                throw new MessageFormatException(Reason.BAD_VALUE, at, what + " out of range: " + v);
            }
            return v;
        }

        int row() {
            return u8Limited(NodeKey.DIGITS - 1, "row");
        }

        boolean bool() {
            int at = offset();
            int v = u8();
            if (v > 1) {
                throw new MessageFormatException(Reason.BAD_VALUE, at, "boolean " + v);
            }
            return v == 1;
        }

        long i64() {
            need(8);
            return buf.getLong();
        }

        NodeKey key() {
            need(NodeKey.BYTES);
            byte[] b = new byte[NodeKey.BYTES];
            buf.get(b);
            return NodeKey.of(b);
        }

        private String utf8(int length, int at) {
            need(length);
            byte[] b = new byte[length];
            buf.get(b);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new MessageFormatException(Reason.BAD_UTF8, at, "string is not UTF-8");
            }
        }

        String str8(int max) {
            int at = offset();
            int len = u8();
            if (len > max) {
                throw new MessageFormatException(Reason.LENGTH_LIMIT, at, "string of " + len + " bytes over " + max);
            }
            return utf8(len, at);
        }

        String str16(int max) {
            int at = offset();
            need(2);
            int len = buf.getShort() & 0xFFFF;
            if (len > max) {
                throw new MessageFormatException(Reason.LENGTH_LIMIT, at, "string of " + len + " bytes over " + max);
            }
            return utf8(len, at);
        }

        NodeHandle handle() {
            NodeKey key = key();
            String address = str16(MAX_ADDRESS_BYTES);
            String region = str8(MAX_LABEL_BYTES);
            return new NodeHandle(key, address, region);
        }

        int count(int max) {
            int at = offset();
            need(2);
            int n = buf.getShort() & 0xFFFF;
            if (n > max) {
                throw new MessageFormatException(Reason.COUNT_LIMIT, at, n + " items over " + max);
            }
            return n;
        }

        List<NodeHandle> handles() {
            int n = count(MAX_HANDLES);
            List<NodeHandle> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(handle());
            }
            return out;
        }

        List<NodeKey> keys() {
            int n = count(MAX_PATH);
            List<NodeKey> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(key());
            }
            return out;
        }

        List<Message.Obituary> obituaries() {
            int n = count(MAX_OBITUARIES);
            List<Message.Obituary> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                NodeKey key = key();
                int at = offset();
                long age = i64();
                if (age < 0) {
                    throw new MessageFormatException(Reason.BAD_VALUE, at, "negative obituary age");
                }
                out.add(new Message.Obituary(key, age));
            }
            return out;
        }

        byte[] payload() {
            int at = offset();
            need(4);
            int len = buf.getInt();
            if (len < 0 || len > MAX_PAYLOAD_BYTES) {
                throw new MessageFormatException(Reason.LENGTH_LIMIT, at, "payload of " + len + " bytes");
            }
            need(len);
            byte[] p = new byte[len];
            buf.get(p);
            return p;
        }
    }
}
