package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import net.ctracker.locality.Coordinate;
import net.ctracker.overlay.message.MessageFormatException;
import net.ctracker.overlay.message.MessageFormatException.Reason;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.Publish;
import net.ctracker.partial.TrackerMessage.SwarmRecords;
import net.ctracker.swarm.InfoHash;
import org.junit.jupiter.api.Test;

/** The partial trackers' wire format: a publish survives the round trip; anything cut or garbled is refused in words. */
class TrackerCodecTest {

    static Publish publish() {
        byte[] key = new byte[20];
        key[0] = 7;
        Origin origin = new Origin(NodeKey.of(key), "http://10.0.0.1:7070", "eu-west",
                new Coordinate(new double[] {1.5, -2.0, 0.25}, 0.5, 0.1));
        byte[] hash = new byte[20];
        hash[19] = 1;
        Entry v4 = new Entry(new byte[] {10, 0, 0, 1, 0x1A, (byte) 0xE1}, new byte[20], true, false, false, 3600, 0);
        Entry v6 = new Entry(new byte[18], new byte[20], false, true, false, 60, 0, true);
        Entry gone = new Entry(new byte[] {10, 0, 0, 2, 0x1A, (byte) 0xE1}, new byte[0], false, false, true, 0, 0);
        return new Publish(List.of(origin), List.of(new SwarmRecords(InfoHash.of(hash), 2, 5, List.of(v4, v6, gone))));
    }

    @Test
    void aPublishSurvivesTheRoundTrip() {
        byte[] wire = TrackerCodec.encode(publish());
        Publish back = (Publish) TrackerCodec.decode(wire);
        assertThat(back.origins().get(0).key()).isEqualTo(publish().origins().get(0).key());
        assertThat(back.origins().get(0).region()).isEqualTo("eu-west");
        assertThat(back.origins().get(0).coordinate().height()).isEqualTo(0.5);
        SwarmRecords s = back.swarms().get(0);
        assertThat(s.hops()).isEqualTo(2);
        assertThat(s.downloaded()).isEqualTo(5);
        assertThat(s.records()).hasSize(3);
        assertThat(s.records().get(0).endpoint()).containsExactly(10, 0, 0, 1, 0x1A, 0xE1);
        assertThat(s.records().get(0).seeder()).isTrue();
        assertThat(s.records().get(1).endpoint()).hasSize(18);
        assertThat(s.records().get(1).refresh()).isTrue();
        assertThat(s.records().get(2).removed()).isTrue();
        assertThat(TrackerCodec.encode(back)).isEqualTo(wire);
    }

    @Test
    void everyCutIsRefusedAsTruncatedAndTrailingBytesAreRefused() {
        byte[] wire = TrackerCodec.encode(publish());
        for (int n = 0; n < wire.length; n++) {
            byte[] cut = Arrays.copyOf(wire, n);
            assertThatThrownBy(() -> TrackerCodec.decode(cut)).as("cut at %d", n)
                    .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.offset()).isLessThanOrEqualTo(cut.length));
        }
        byte[] longer = Arrays.copyOf(wire, wire.length + 1);
        assertThatThrownBy(() -> TrackerCodec.decode(longer)).isInstanceOfSatisfying(MessageFormatException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES));
        assertThatThrownBy(() -> TrackerCodec.decode(new byte[TrackerCodec.MAX_BYTES + 1]))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void garbledBytesAreRefusedOrDecodedNeverAnotherException() {
        byte[] wire = TrackerCodec.encode(publish());
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 20_000; run++) {
            byte[] garbled = wire.clone();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                garbled[random.nextInt(garbled.length)] = (byte) random.nextInt(256);
            }
            Throwable t = catchThrowable(() -> TrackerCodec.decode(garbled));
            assertThat(t).as("run %d", run).satisfiesAnyOf(x -> assertThat(x).isNull(),
                    x -> assertThat(x).isInstanceOf(MessageFormatException.class));
        }
    }
}
