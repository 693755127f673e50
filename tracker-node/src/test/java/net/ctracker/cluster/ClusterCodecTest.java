package net.ctracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.ctracker.cluster.ClusterMessage.Describe;
import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterMessage.Neighbour;
import net.ctracker.overlay.message.MessageFormatException;
import net.ctracker.overlay.message.MessageFormatException.Reason;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.swarm.InfoHash;
import org.junit.jupiter.api.Test;

/** The cluster view's wire format: round trips, every limit, and rejections that name their offset. */
class ClusterCodecTest {

    private static NodeKey key(int b) {
        byte[] k = new byte[20];
        Arrays.fill(k, (byte) b);
        return NodeKey.of(k);
    }

    private static InfoHash hash(int b) {
        byte[] h = new byte[20];
        Arrays.fill(h, (byte) b);
        return InfoHash.of(h);
    }

    private static Description description(List<Neighbour> neighbours, List<HeldList> held) {
        return new Description(42, true, 4, 17, List.of(0b1010, 0, 0xffff), 12, 3_000_000_000L, neighbours, held);
    }

    @Test
    void describeAndDescriptionRoundTrip() {
        Describe ask = new Describe(-7, 1000);
        assertThat(ClusterCodec.decode(ClusterCodec.encode(ask))).isEqualTo(ask);

        Description d = description(List.of(
                new Neighbour(new NodeHandle(key(1), "http://10.0.0.1:7070", "eu-west"), true, false, 1.25),
                new Neighbour(new NodeHandle(key(2), "http://[::1]:7070", "région-ü"), true, true, -1),
                new Neighbour(new NodeHandle(key(3), "http://h:1", ""), false, true, 250.5)),
                List.of(new HeldList(hash(9), true, 5, 6, 7), new HeldList(hash(8), false, 0, 1, 0)));
        assertThat(ClusterCodec.decode(ClusterCodec.encode(d))).isEqualTo(d);
    }

    @Test
    void rttsTravelInMicroseconds() {
        Description d = description(List.of(new Neighbour(new NodeHandle(key(1), "a", "r"), true, false, 12.3456789)), List.of());
        Description back = (Description) ClusterCodec.decode(ClusterCodec.encode(d));
        assertThat(back.neighbours().get(0).rttMs()).isEqualTo(12.346);
    }

    @Test
    void encodingRefusesWhatTheGrammarCannotCarry() {
        assertThatThrownBy(() -> ClusterCodec.encode(new Describe(1, ClusterCodec.MAX_SWARMS + 1)))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("swarm limit");
        List<Neighbour> many = new ArrayList<>();
        for (int i = 0; i <= ClusterCodec.MAX_NEIGHBOURS; i++) {
            many.add(new Neighbour(new NodeHandle(key(i), "a", "r"), true, false, 1));
        }
        assertThatThrownBy(() -> ClusterCodec.encode(description(many, List.of())))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.COUNT_LIMIT));
        assertThatThrownBy(() -> ClusterCodec.encode(description(List.of(
                new Neighbour(new NodeHandle(key(1), "a", "r"), false, false, 1)), List.of())))
                .hasMessageContaining("neither leaf set nor table");
        assertThatThrownBy(() -> ClusterCodec.encode(description(List.of(
                new Neighbour(new NodeHandle(key(1), "a".repeat(256), "r"), true, false, 1)), List.of())))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LENGTH_LIMIT));
        assertThatThrownBy(() -> ClusterCodec.encode(description(List.of(), List.of(new HeldList(hash(1), true, -1, 0, 0)))))
                .hasMessageContaining("seeders");
        // neighbours at the address limit, each about 350 bytes: 256 of them do not fit one payload
        List<Neighbour> wide = new ArrayList<>();
        for (int i = 0; i < ClusterCodec.MAX_NEIGHBOURS; i++) {
            wide.add(new Neighbour(new NodeHandle(key(i), "h".repeat(255), "r".repeat(64)), true, false, 1));
        }
        assertThatThrownBy(() -> ClusterCodec.encode(description(wide, List.of())))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void neighbourBytesIsWhatTheEncoderWrites() {
        NodeHandle h = new NodeHandle(key(5), "http://ünïcode:7070", "zone-ä");
        int without = ClusterCodec.encode(description(List.of(), List.of())).length;
        int with = ClusterCodec.encode(description(List.of(new Neighbour(h, true, false, 1)), List.of())).length;
        assertThat(with - without).isEqualTo(ClusterCodec.neighbourBytes(h));
        int oneHeld = ClusterCodec.encode(description(List.of(), List.of(new HeldList(hash(1), true, 1, 1, 1)))).length;
        assertThat(oneHeld - without).isEqualTo(ClusterCodec.HELD_BYTES);
        int rows = new Description(0, true, 0, 0, List.of(), 0, 0, List.of(), List.of()).routingRows().size();
        assertThat(ClusterCodec.encode(new Description(0, true, 0, 0, List.of(), 0, 0, List.of(), List.of())).length)
                .isEqualTo(ClusterCodec.DESCRIPTION_BASE_BYTES + 2 * rows);
    }

    @Test
    void decodingRejectsBrokenPayloadsAtTheirOffset() {
        byte[] ask = ClusterCodec.encode(new Describe(1, 5));
        assertRejected(Arrays.copyOf(ask, ask.length - 1), Reason.TRUNCATED, -1);
        assertRejected(Arrays.copyOf(ask, ask.length + 1), Reason.TRAILING_BYTES, ask.length);
        byte[] version = ask.clone();
        version[0] = 2;
        assertRejected(version, Reason.BAD_VERSION, 0);
        byte[] kind = ask.clone();
        kind[1] = 9;
        assertRejected(kind, Reason.UNKNOWN_TYPE, 1);
        byte[] limit = ask.clone();
        ByteBuffer.wrap(limit).putShort(10, (short) (ClusterCodec.MAX_SWARMS + 1));
        assertRejected(limit, Reason.BAD_VALUE, 10);

        Description d = description(List.of(new Neighbour(new NodeHandle(key(1), "ab", "r"), true, false, 1)),
                List.of(new HeldList(hash(9), true, 5, 6, 7)));
        byte[] good = ClusterCodec.encode(d);
        int flags = 2 + 8;
        byte[] joined = good.clone();
        joined[flags] = 3; // an unknown flag bit
        assertRejected(joined, Reason.BAD_VALUE, flags);
        int rows = flags + 1 + 1 + 2;
        byte[] tooManyRows = good.clone();
        tooManyRows[rows] = (byte) (NodeKey.DIGITS + 1);
        assertRejected(tooManyRows, Reason.BAD_VALUE, rows);
        int neighbours = rows + 1 + 2 * 3 + 4 + 8;
        byte[] count = good.clone();
        ByteBuffer.wrap(count).putShort(neighbours, (short) (ClusterCodec.MAX_NEIGHBOURS + 1));
        assertRejected(count, Reason.COUNT_LIMIT, neighbours);
        int address = neighbours + 2 + 20;
        byte[] utf8 = good.clone();
        utf8[address + 2] = (byte) 0xff;
        assertRejected(utf8, Reason.BAD_UTF8, address);
        byte[] longString = good.clone();
        ByteBuffer.wrap(longString).putShort(address, (short) 300);
        assertRejected(longString, Reason.LENGTH_LIMIT, address);
        int neighbourFlags = address + 2 + 2 + 1 + 1;
        byte[] neither = good.clone();
        neither[neighbourFlags] = 0;
        assertRejected(neither, Reason.BAD_VALUE, neighbourFlags);
        byte[] rtt = good.clone();
        ByteBuffer.wrap(rtt).putInt(neighbourFlags + 1, -2);
        assertRejected(rtt, Reason.BAD_VALUE, neighbourFlags + 1);
        int seeders = neighbourFlags + 1 + 4 + 2 + 20 + 1;
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(seeders, -1);
        assertRejected(negative, Reason.BAD_VALUE, seeders);
        assertRejected(new byte[ClusterCodec.MAX_BYTES + 1], Reason.TOO_LARGE, ClusterCodec.MAX_BYTES);
        assertRejected(new byte[0], Reason.TRUNCATED, 0);
    }

    private static void assertRejected(byte[] payload, Reason reason, int offset) {
        assertThatThrownBy(() -> ClusterCodec.decode(payload)).isInstanceOfSatisfying(MessageFormatException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            if (offset >= 0) {
                assertThat(e.offset()).as("offset of %s", e.getMessage()).isEqualTo(offset);
            }
        });
    }
}
