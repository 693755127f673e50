package net.ctracker.partial;

import java.util.ArrayList;
import java.util.List;

import net.ctracker.locality.Coordinate;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.message.MessageFormatException;
import net.ctracker.overlay.message.PayloadReader;
import net.ctracker.overlay.message.PayloadWriter;
import net.ctracker.overlay.message.MessageFormatException.Reason;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Answer;
import net.ctracker.partial.TrackerMessage.Coordinates;
import net.ctracker.partial.TrackerMessage.Digest;
import net.ctracker.partial.TrackerMessage.DigestEntry;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.GetPeers;
import net.ctracker.partial.TrackerMessage.Inspect;
import net.ctracker.partial.TrackerMessage.InspectReply;
import net.ctracker.partial.TrackerMessage.Kind;
import net.ctracker.partial.TrackerMessage.Mode;
import net.ctracker.partial.TrackerMessage.OriginCount;
import net.ctracker.partial.TrackerMessage.Peers;
import net.ctracker.partial.TrackerMessage.Publish;
import net.ctracker.partial.TrackerMessage.Query;
import net.ctracker.partial.TrackerMessage.Replicate;
import net.ctracker.partial.TrackerMessage.Role;
import net.ctracker.partial.TrackerMessage.SwarmRecords;
import net.ctracker.swarm.InfoHash;

/**
 * Binary form of a {@link TrackerMessage}: the payload of one overlay DIRECT message.
 *
 * <pre>
 * payload    := version:u8 (=1) kind:u8 body
 * origin     := key:20 address:str16 region:str8 coordinate
 * coordinate := dims:u8 (0..8), then if dims > 0: dims x f32, height:f32, error:f32 (finite, >= 0)
 * origins    := count:u16 origin...
 * entry      := flags:u8 (1 seeder, 2 completed, 4 removed, 8 IPv6, 16 refresh; no other bit) endpoint:6|18
 *               [peerId:20 ttlSeconds:u32, unless removed] origin:u16 (an index into origins)
 * swarm      := infoHash:20 hops:u8 downloaded:i64 (>= 0) count:u16 entry...
 * PUBLISH       origins count:u16 swarm...
 * REPLICATE     mode:u8 origins count:u16 swarm...
 * GET_PEERS     requester:origin count:u16 (infoHash:20 numwant:u16 flags:u8 (1 counts, 2 seeder) hops:u8)...
 * PEERS         origins count:u16 (infoHash:20 flags:u8 (1 counts, 2 peers) seeders:u32 leechers:u32 downloaded:i64
 *               uniformFrom:u16 (at most the entries' count) count:u16 entry...)...
 * DIGEST        count:u16 (infoHash:20 count:u32 hash:i64)...
 * INSPECT       requestId:i64 requester:origin infoHash:20 hops:u8 routed:u8
 * INSPECT_REPLY requestId:i64 infoHash:20 role:u8 seeders:u32 leechers:u32 downloaded:i64 origins
 *               count:u8 replica:u16... count:u16 (origin:u16 seeders:u32 leechers:u32)...
 * COORDINATES   sender:origin replyWanted:u8
 * </pre>
 *
 * Limits, checked when encoding and decoding (an error names the byte offset): the payload is at
 * most {@value #MAX_BYTES} bytes (the overlay's payload limit), origins per message
 * {@value #MAX_ORIGINS}, items per list {@value #MAX_ITEMS}, hops {@value #MAX_HOPS}, numwant
 * {@value #MAX_NUMWANT}, TTL {@value #MAX_TTL_SECONDS} s, counts below 2^31; strings as in the overlay
 * codec. Unknown kinds and modes, unknown flag bits and trailing bytes are errors.
 */
public final class TrackerCodec {

    /** The overlay application type these payloads travel under. */
    public static final String APP_TYPE = "tracker";
    public static final int VERSION = 1;
    public static final int MAX_BYTES = MessageCodec.MAX_PAYLOAD_BYTES;
    public static final int MAX_ORIGINS = 1024;
    public static final int MAX_ITEMS = 8192;
    public static final int MAX_HOPS = MessageCodec.MAX_PATH;
    public static final int MAX_NUMWANT = 1000;
    public static final int MAX_TTL_SECONDS = 30 * 24 * 3600;
    /** Bytes an entry takes at most (IPv6, with peer id and TTL): for callers that fill a message up to {@link #MAX_BYTES}. */
    public static final int MAX_ENTRY_BYTES = 1 + 18 + 20 + 4 + 2;
    /** Bytes a swarm header takes, and an origin at most. */
    public static final int SWARM_HEADER_BYTES = 20 + 1 + 8 + 2;
    public static final int MAX_ORIGIN_BYTES = 20 + 2 + MessageCodec.MAX_ADDRESS_BYTES + 1 + MessageCodec.MAX_LABEL_BYTES
            + 1 + 4 * (Coordinate.MAX_DIMENSIONS + 2);

    private static final int SEEDER = 1;
    private static final int COMPLETED = 2;
    private static final int REMOVED = 4;
    private static final int IPV6 = 8;
    private static final int REFRESH = 16;

    private TrackerCodec() {
    }

    // ------------------------------------------------------------------ encoding

    public static byte[] encode(TrackerMessage message) {
        W w = new W();
        w.u8(VERSION);
        w.u8(message.kind().code());
        if (message instanceof Publish m) {
            w.origins(m.origins());
            w.swarms(m.swarms(), m.origins().size());
        } else if (message instanceof Replicate m) {
            w.u8(m.mode().ordinal());
            w.origins(m.origins());
            w.swarms(m.swarms(), m.origins().size());
        } else if (message instanceof GetPeers m) {
            w.origin(m.requester());
            w.count16(m.queries().size(), MAX_ITEMS);
            for (Query q : m.queries()) {
                w.hash(q.infoHash());
                w.u16Limited(q.numwant(), MAX_NUMWANT, "numwant");
                w.u8((q.needCounts() ? 1 : 0) | (q.requesterSeeder() ? 2 : 0));
                w.u8Limited(q.hops(), MAX_HOPS, "hops");
            }
        } else if (message instanceof Peers m) {
            w.origins(m.origins());
            w.count16(m.answers().size(), MAX_ITEMS);
            for (Answer a : m.answers()) {
                w.hash(a.infoHash());
                w.u8((a.hasCounts() ? 1 : 0) | (a.hasPeers() ? 2 : 0));
                w.u31(a.seeders(), "seeders");
                w.u31(a.leechers(), "leechers");
                w.nonNegative(a.downloaded(), "downloaded");
                w.u16Limited(a.uniformFrom(), a.records().size(), "uniformFrom");
                w.entries(a.records(), m.origins().size());
            }
        } else if (message instanceof Digest m) {
            w.count16(m.entries().size(), MAX_ITEMS);
            for (DigestEntry e : m.entries()) {
                w.hash(e.infoHash());
                w.u31(e.count(), "count");
                w.i64(e.hash());
            }
        } else if (message instanceof Inspect m) {
            w.i64(m.requestId());
            w.origin(m.requester());
            w.hash(m.infoHash());
            w.u8Limited(m.hops(), MAX_HOPS, "hops");
            w.u8(m.routed() ? 1 : 0);
        } else if (message instanceof InspectReply m) {
            w.i64(m.requestId());
            w.hash(m.infoHash());
            w.u8(m.role().ordinal());
            w.u31(m.seeders(), "seeders");
            w.u31(m.leechers(), "leechers");
            w.nonNegative(m.downloaded(), "downloaded");
            w.origins(m.origins());
            w.u8Limited(m.replicas().size(), 255, "replicas");
            for (int r : m.replicas()) {
                w.originIndex(r, m.origins().size());
            }
            w.count16(m.byOrigin().size(), MAX_ITEMS);
            for (OriginCount c : m.byOrigin()) {
                w.originIndex(c.origin(), m.origins().size());
                w.u31(c.seeders(), "seeders");
                w.u31(c.leechers(), "leechers");
            }
        } else if (message instanceof Coordinates m) {
            w.origin(m.sender());
            w.u8(m.replyWanted() ? 1 : 0);
        } else {
            throw new IllegalStateException("unhandled tracker message " + message.kind());
        }
        return w.bytes();
    }

    private static final class W extends PayloadWriter {
        W() {
            super(512, MAX_BYTES);
        }

        void hash(InfoHash h) {
            byte[] b = new byte[InfoHash.LENGTH];
            h.copyTo(b, 0);
            raw(b);
        }

        void origin(Origin o) {
            raw(o.key().toBytes());
            str(o.address(), MessageCodec.MAX_ADDRESS_BYTES, true);
            str(o.region(), MessageCodec.MAX_LABEL_BYTES, false);
            Coordinate c = o.coordinate();
            u8(c.dimensions());
            if (c.known()) {
                for (int i = 0; i < c.dimensions(); i++) {
                    f32(c.component(i));
                }
                f32(c.height());
                f32(c.error());
            }
        }

        void origins(List<Origin> origins) {
            count16(origins.size(), MAX_ORIGINS);
            origins.forEach(this::origin);
        }

        void originIndex(int index, int origins) {
            if (index < 0 || index >= origins) {
                throw new MessageFormatException(Reason.BAD_VALUE, size(), "origin index " + index + " of " + origins);
            }
            u16Limited(index, 0xFFFF, "origin index");
        }

        void entries(List<Entry> entries, int origins) {
            count16(entries.size(), MAX_ITEMS);
            for (Entry e : entries) {
                int length = e.endpoint().length;
                if (length != 6 && length != 18) {
                    throw new MessageFormatException(Reason.BAD_VALUE, size(), "endpoint of " + length + " bytes");
                }
                u8((e.seeder() ? SEEDER : 0) | (e.completed() ? COMPLETED : 0) | (e.removed() ? REMOVED : 0)
                        | (length == 18 ? IPV6 : 0) | (e.refresh() ? REFRESH : 0));
                raw(e.endpoint());
                if (!e.removed()) {
                    if (e.peerId().length != 20) {
                        throw new MessageFormatException(Reason.BAD_VALUE, size(), "peer id of " + e.peerId().length + " bytes");
                    }
                    raw(e.peerId());
                    if (e.ttlSeconds() < 0 || e.ttlSeconds() > MAX_TTL_SECONDS) {
                        throw new MessageFormatException(Reason.BAD_VALUE, size(), "TTL out of range: " + e.ttlSeconds());
                    }
                    i32(e.ttlSeconds());
                }
                originIndex(e.origin(), origins);
            }
        }

        void swarms(List<SwarmRecords> swarms, int origins) {
            count16(swarms.size(), MAX_ITEMS);
            for (SwarmRecords s : swarms) {
                hash(s.infoHash());
                u8Limited(s.hops(), MAX_HOPS, "hops");
                nonNegative(s.downloaded(), "downloaded");
                entries(s.records(), origins);
            }
        }
    }

    // ------------------------------------------------------------------ decoding

    public static TrackerMessage decode(byte[] payload) {
        R r = new R(payload);
        int code = r.header(VERSION);
        Kind kind = Kind.ofCode(code);
        if (kind == null) {
            throw new MessageFormatException(Reason.UNKNOWN_TYPE, 1, "kind " + code);
        }
        TrackerMessage message = switch (kind) {
            case PUBLISH -> {
                List<Origin> origins = r.origins();
                yield new Publish(origins, r.swarms(origins.size()));
            }
            case REPLICATE -> {
                int at = r.offset();
                int mode = r.u8();
                if (mode >= Mode.values().length) {
                    throw new MessageFormatException(Reason.BAD_VALUE, at, "mode " + mode);
                }
                List<Origin> origins = r.origins();
                yield new Replicate(Mode.values()[mode], origins, r.swarms(origins.size()));
            }
            case GET_PEERS -> {
                Origin requester = r.origin();
                int n = r.count16(MAX_ITEMS);
                List<Query> queries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    InfoHash h = r.hash();
                    int numwant = r.u16Limited(MAX_NUMWANT, "numwant");
                    int flags = r.flags(3);
                    queries.add(new Query(h, numwant, (flags & 1) != 0, (flags & 2) != 0, r.u8Limited(MAX_HOPS, "hops")));
                }
                yield new GetPeers(requester, queries);
            }
            case PEERS -> {
                List<Origin> origins = r.origins();
                int n = r.count16(MAX_ITEMS);
                List<Answer> answers = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    InfoHash h = r.hash();
                    int flags = r.flags(3);
                    int seeders = r.u31("seeders");
                    int leechers = r.u31("leechers");
                    long downloaded = r.nonNegative("downloaded");
                    int at = r.offset();
                    int uniformFrom = r.u16();
                    List<Entry> entries = r.entries(origins.size());
                    if (uniformFrom > entries.size()) {
                        throw new MessageFormatException(Reason.BAD_VALUE, at, "uniformFrom " + uniformFrom + " beyond "
                                + entries.size() + " records");
                    }
                    answers.add(new Answer(h, (flags & 2) != 0, (flags & 1) != 0, seeders, leechers, downloaded,
                            entries, uniformFrom));
                }
                yield new Peers(origins, answers);
            }
            case DIGEST -> {
                int n = r.count16(MAX_ITEMS);
                List<DigestEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(new DigestEntry(r.hash(), r.u31("count"), r.i64()));
                }
                yield new Digest(entries);
            }
            case INSPECT -> new Inspect(r.i64(), r.origin(), r.hash(), r.u8Limited(MAX_HOPS, "hops"), r.flags(1) != 0);
            case INSPECT_REPLY -> {
                long id = r.i64();
                InfoHash h = r.hash();
                int at = r.offset();
                int role = r.u8();
                if (role >= Role.values().length) {
                    throw new MessageFormatException(Reason.BAD_VALUE, at, "role " + role);
                }
                int seeders = r.u31("seeders");
                int leechers = r.u31("leechers");
                long downloaded = r.nonNegative("downloaded");
                List<Origin> origins = r.origins();
                int nr = r.u8();
                List<Integer> replicas = new ArrayList<>(nr);
                for (int i = 0; i < nr; i++) {
                    replicas.add(r.originIndex(origins.size()));
                }
                int nc = r.count16(MAX_ITEMS);
                List<OriginCount> byOrigin = new ArrayList<>(nc);
                for (int i = 0; i < nc; i++) {
                    byOrigin.add(new OriginCount(r.originIndex(origins.size()), r.u31("seeders"), r.u31("leechers")));
                }
                yield new InspectReply(id, h, Role.values()[role], seeders, leechers, downloaded, origins, replicas, byOrigin);
            }
            case COORDINATES -> new Coordinates(r.origin(), r.flags(1) != 0);
        };
        r.end();
        return message;
    }

    private static final class R extends PayloadReader {
        R(byte[] payload) {
            super(payload, MAX_BYTES);
        }

        InfoHash hash() {
            return InfoHash.of(raw(InfoHash.LENGTH));
        }

        Origin origin() {
            NodeKey key = NodeKey.of(raw(NodeKey.BYTES));
            String address = str(MessageCodec.MAX_ADDRESS_BYTES, true);
            String region = str(MessageCodec.MAX_LABEL_BYTES, false);
            int dims = u8Limited(Coordinate.MAX_DIMENSIONS, "coordinate dimensions");
            Coordinate c = Coordinate.NONE;
            if (dims > 0) {
                double[] v = new double[dims];
                for (int i = 0; i < dims; i++) {
                    v[i] = f32("coordinate");
                }
                int at = offset();
                double height = f32("height");
                double error = f32("error");
                if (height < 0 || error < 0) {
                    throw new MessageFormatException(Reason.BAD_VALUE, at, "negative height or error");
                }
                c = new Coordinate(v, height, error);
            }
            return new Origin(key, address, region, c);
        }

        List<Origin> origins() {
            int n = count16(MAX_ORIGINS);
            List<Origin> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(origin());
            }
            return out;
        }

        int originIndex(int origins) {
            int at = offset();
            int i = u16();
            if (i >= origins) {
                throw new MessageFormatException(Reason.BAD_VALUE, at, "origin index " + i + " of " + origins);
            }
            return i;
        }

        List<Entry> entries(int origins) {
            int n = count16(MAX_ITEMS);
            List<Entry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int flags = flags(SEEDER | COMPLETED | REMOVED | IPV6 | REFRESH);
                byte[] endpoint = raw((flags & IPV6) != 0 ? 18 : 6);
                boolean removed = (flags & REMOVED) != 0;
                byte[] peerId = new byte[0];
                int ttl = 0;
                if (!removed) {
                    peerId = raw(20);
                    int at = offset();
                    ttl = i32();
                    if (ttl < 0 || ttl > MAX_TTL_SECONDS) {
                        throw new MessageFormatException(Reason.BAD_VALUE, at, "TTL out of range: " + ttl);
                    }
                }
                out.add(new Entry(endpoint, peerId, (flags & SEEDER) != 0, (flags & COMPLETED) != 0, removed, ttl,
                        originIndex(origins), (flags & REFRESH) != 0));
            }
            return out;
        }

        List<SwarmRecords> swarms(int origins) {
            int n = count16(MAX_ITEMS);
            List<SwarmRecords> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                InfoHash h = hash();
                int hops = u8Limited(MAX_HOPS, "hops");
                long downloaded = nonNegative("downloaded");
                out.add(new SwarmRecords(h, hops, downloaded, entries(origins)));
            }
            return out;
        }
    }
}
