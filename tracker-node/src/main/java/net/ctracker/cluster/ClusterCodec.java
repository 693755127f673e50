package net.ctracker.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.ctracker.cluster.ClusterMessage.Describe;
import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterMessage.Kind;
import net.ctracker.cluster.ClusterMessage.Neighbour;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.message.MessageFormatException;
import net.ctracker.overlay.message.PayloadReader;
import net.ctracker.overlay.message.PayloadWriter;
import net.ctracker.overlay.message.MessageFormatException.Reason;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.swarm.InfoHash;

/**
 * Binary form of a {@link ClusterMessage}: the payload of one overlay DIRECT message of application
 * type {@value #APP_TYPE}.
 *
 * <pre>
 * payload     := version:u8 (=1) kind:u8 body
 * DESCRIBE    := requestId:i64 swarmLimit:u16 (0..MAX_SWARMS)
 * DESCRIPTION := requestId:i64 flags:u8 (1 joined; no other bit) leafSetSize:u8 routingEntries:u16
 *                rows:u8 (0..40) rowMask:u16 x rows  swarms:u32 (below 2^31) peers:i64 (>= 0)
 *                count:u16 neighbour...  count:u16 held...
 * neighbour   := key:20 address:str16 region:str8 flags:u8 (1 leaf, 2 routing table; one at least, no other bit)
 *                rttMicros:i32 (-1 not measured, else >= 0)
 * held        := infoHash:20 flags:u8 (1 root; no other bit) seeders:u32 leechers:u32 downloaded:i64 (all below 2^31 / >= 0)
 * str8/str16  := length:u8|u16 UTF-8 bytes
 * </pre>
 *
 * Limits, checked when encoding and decoding (an error names the byte offset): the payload is at
 * most {@value #MAX_BYTES} bytes (the overlay's payload limit), neighbours {@value #MAX_NEIGHBOURS},
 * held lists {@value #MAX_SWARMS}, rows {@value NodeKey#DIGITS}; addresses and regions as in the
 * overlay codec. Unknown versions, kinds and flag bits, malformed UTF-8 and trailing bytes are errors.
 */
public final class ClusterCodec {

    /** The overlay application type these payloads travel under. */
    public static final String APP_TYPE = "admin";
    public static final int VERSION = 1;
    public static final int MAX_BYTES = MessageCodec.MAX_PAYLOAD_BYTES;
    public static final int MAX_NEIGHBOURS = 256;
    public static final int MAX_SWARMS = 1000;
    /** Bytes of one held list on the wire. */
    public static final int HELD_BYTES = 20 + 1 + 4 + 4 + 8;
    /** Bytes of a DESCRIPTION without its rows, neighbours and held lists. */
    public static final int DESCRIPTION_BASE_BYTES = 2 + 8 + 1 + 1 + 2 + 1 + 4 + 8 + 2 + 2;

    private static final int JOINED = 1;
    private static final int LEAF = 1;
    private static final int TABLE = 2;
    private static final int ROOT = 1;

    private ClusterCodec() {
    }

    /** Bytes one neighbour takes on the wire. */
    public static int neighbourBytes(NodeHandle h) {
        return 20 + 2 + h.address().getBytes(StandardCharsets.UTF_8).length + 1
                + h.region().getBytes(StandardCharsets.UTF_8).length + 1 + 4;
    }

    // ------------------------------------------------------------------ encoding

    public static byte[] encode(ClusterMessage message) {
        PayloadWriter w = new PayloadWriter(256, MAX_BYTES);
        w.u8(VERSION);
        w.u8(message.kind().code());
        if (message instanceof Describe m) {
            w.i64(m.requestId());
            w.u16Limited(m.swarmLimit(), MAX_SWARMS, "swarm limit");
        } else if (message instanceof Description m) {
            w.i64(m.requestId());
            w.u8(m.joined() ? JOINED : 0);
            w.u8Limited(m.leafSetSize(), 255, "leaf set size");
            w.u16Limited(m.routingEntries(), 0xffff, "routing entries");
            w.u8Limited(m.routingRows().size(), NodeKey.DIGITS, "rows");
            for (int mask : m.routingRows()) {
                w.u16Limited(mask, 0xffff, "row mask");
            }
            w.u31(m.swarms(), "swarms");
            w.nonNegative(m.peers(), "peers");
            w.count16(m.neighbours().size(), MAX_NEIGHBOURS);
            for (Neighbour n : m.neighbours()) {
                if (!n.leaf() && !n.table()) {
                    throw new MessageFormatException(Reason.BAD_VALUE, w.size(), "a neighbour in neither leaf set nor table");
                }
                w.raw(n.handle().key().toBytes());
                w.str(n.handle().address(), MessageCodec.MAX_ADDRESS_BYTES, true);
                w.str(n.handle().region(), MessageCodec.MAX_LABEL_BYTES, false);
                w.u8((n.leaf() ? LEAF : 0) | (n.table() ? TABLE : 0));
                w.i32(rttMicros(n.rttMs()));
            }
            w.count16(m.largestSwarms().size(), MAX_SWARMS);
            for (HeldList h : m.largestSwarms()) {
                w.raw(h.infoHash().toBytes());
                w.u8(h.root() ? ROOT : 0);
                w.u31(h.seeders(), "seeders");
                w.u31(h.leechers(), "leechers");
                w.nonNegative(h.downloaded(), "downloaded");
            }
        } else {
            throw new IllegalStateException("unhandled cluster message " + message.kind());
        }
        return w.bytes();
    }

    private static int rttMicros(double ms) {
        if (!(ms >= 0)) {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.round(ms * 1000));
    }

    // ------------------------------------------------------------------ decoding

    public static ClusterMessage decode(byte[] payload) {
        PayloadReader r = new PayloadReader(payload, MAX_BYTES);
        int code = r.header(VERSION);
        Kind kind = Kind.ofCode(code);
        if (kind == null) {
            throw new MessageFormatException(Reason.UNKNOWN_TYPE, 1, "kind " + code);
        }
        ClusterMessage message = switch (kind) {
            case DESCRIBE -> new Describe(r.i64(), r.u16Limited(MAX_SWARMS, "swarm limit"));
            case DESCRIPTION -> description(r);
        };
        r.end();
        return message;
    }

    private static Description description(PayloadReader r) {
        long requestId = r.i64();
        boolean joined = (r.flags(JOINED) & JOINED) != 0;
        int leafSetSize = r.u8();
        int routingEntries = r.u16();
        int rows = r.u8Limited(NodeKey.DIGITS, "rows");
        List<Integer> masks = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            masks.add(r.u16());
        }
        int swarms = r.u31("swarms");
        long peers = r.nonNegative("peers");
        int n = r.count16(MAX_NEIGHBOURS);
        List<Neighbour> neighbours = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NodeKey key = NodeKey.of(r.raw(NodeKey.BYTES));
            String address = r.str(MessageCodec.MAX_ADDRESS_BYTES, true);
            String region = r.str(MessageCodec.MAX_LABEL_BYTES, false);
            int at = r.offset();
            int flags = r.flags(LEAF | TABLE);
            if (flags == 0) {
                throw new MessageFormatException(Reason.BAD_VALUE, at, "a neighbour in neither leaf set nor table");
            }
            at = r.offset();
            int micros = r.i32();
            if (micros < -1) {
                throw new MessageFormatException(Reason.BAD_VALUE, at, "RTT of " + micros + " us");
            }
            neighbours.add(new Neighbour(new NodeHandle(key, address, region), (flags & LEAF) != 0, (flags & TABLE) != 0,
                    micros < 0 ? -1 : micros / 1000.0));
        }
        int h = r.count16(MAX_SWARMS);
        List<HeldList> held = new ArrayList<>(h);
        for (int i = 0; i < h; i++) {
            InfoHash infoHash = InfoHash.of(r.raw(InfoHash.LENGTH));
            boolean root = (r.flags(ROOT) & ROOT) != 0;
            held.add(new HeldList(infoHash, root, r.u31("seeders"), r.u31("leechers"), r.nonNegative("downloaded")));
        }
        return new Description(requestId, joined, leafSetSize, routingEntries, masks, swarms, peers, neighbours, held);
    }

}
