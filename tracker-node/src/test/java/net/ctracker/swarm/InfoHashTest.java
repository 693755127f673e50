package net.ctracker.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InfoHashTest {

    @Test
    void holdsTheTwentyBytesItWasMadeFrom() {
        SplittableRandom random = new SplittableRandom(20);
        for (int n = 0; n < 1_000; n++) {
            byte[] source = new byte[20 + 7];
            random.nextBytes(source);
            int offset = random.nextInt(8);
            byte[] bytes = Arrays.copyOfRange(source, offset, offset + 20);
            InfoHash h = InfoHash.of(source, offset);
            assertThat(h.toBytes()).isEqualTo(bytes);
            assertThat(h.toHex()).isEqualTo(HexFormat.of().formatHex(bytes));
            byte[] target = new byte[30];
            h.copyTo(target, 5);
            assertThat(Arrays.copyOfRange(target, 5, 25)).isEqualTo(bytes);
            assertThat(target[4]).isZero();
            assertThat(target[25]).isZero();
            assertThat(h.hashCode()).as("the hash of the bytes").isEqualTo(Arrays.hashCode(bytes));
            assertThat(h).isEqualTo(InfoHash.of(bytes)).hasSameHashCodeAs(InfoHash.of(bytes));
        }
    }

    @Test
    void ordersAndTellsApartAsTheUnsignedBytesDo() {
        SplittableRandom random = new SplittableRandom(21);
        for (int n = 0; n < 5_000; n++) {
            byte[] a = new byte[20];
            random.nextBytes(a);
            byte[] b = a.clone();
            // one byte differs, anywhere, often in its top bit (where signed and unsigned orders part)
            int at = random.nextInt(20);
            b[at] = random.nextBoolean() ? (byte) (b[at] ^ 0x80) : (byte) random.nextInt(256);
            InfoHash x = InfoHash.of(a);
            InfoHash y = InfoHash.of(b);
            assertThat(Integer.signum(x.compareTo(y))).as("byte %d", at).isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
            assertThat(x.equals(y)).isEqualTo(Arrays.equals(a, b));
            assertThat(x.compareTo(x)).isZero();
        }
        // two bytes differ in opposite directions, in different words or the same: the first decides
        for (int n = 0; n < 5_000; n++) {
            byte[] a = new byte[20];
            random.nextBytes(a);
            byte[] b = a.clone();
            int first = random.nextInt(19);
            int second = first + 1 + random.nextInt(19 - first);
            a[first] = (byte) 0x7F;
            b[first] = (byte) 0x80;
            a[second] = (byte) 0xFF;
            b[second] = 0;
            assertThat(InfoHash.of(a).compareTo(InfoHash.of(b))).as("bytes %d and %d", first, second).isNegative();
            assertThat(InfoHash.of(b).compareTo(InfoHash.of(a))).isPositive();
        }
    }

    @Test
    void refusesTooFewBytesAndATargetWithoutRoom() {
        assertThatThrownBy(() -> InfoHash.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InfoHash.of(new byte[25], 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InfoHash.of(new byte[25], -1)).isInstanceOf(IllegalArgumentException.class);
        InfoHash h = InfoHash.of(new byte[20]);
        assertThatThrownBy(() -> h.copyTo(new byte[25], 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> h.copyTo(new byte[25], -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
