package net.ctracker.overlay.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NodeKeyTest {

    private static final BigInteger RING = BigInteger.ONE.shiftLeft(160);

    private static NodeKey key(String hexPrefix) {
        return NodeKey.parse((hexPrefix + "0".repeat(40)).substring(0, 40));
    }

    private static BigInteger num(NodeKey k) {
        return new BigInteger(1, k.toBytes());
    }

    @Test
    void hexRoundTripAndDefensiveCopies() {
        String hex = "0123456789abcdef0123456789abcdef01234567";
        NodeKey k = NodeKey.parse(hex.toUpperCase());
        assertThat(k.toString()).isEqualTo(hex);
        byte[] bytes = k.toBytes();
        bytes[0] = 42;
        assertThat(k.toString()).isEqualTo(hex);
        byte[] in = NodeKey.parse(hex).toBytes();
        NodeKey fromBytes = NodeKey.of(in);
        in[0] = 42;
        assertThat(fromBytes).isEqualTo(k).hasSameHashCodeAs(k);
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> NodeKey.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeKey.parse("z".repeat(40))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeKey.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void digitsAndSharedPrefix() {
        NodeKey k = NodeKey.parse("0123456789abcdef0123456789abcdef01234567");
        for (int i = 0; i < 40; i++) {
            assertThat(k.digit(i)).isEqualTo(Character.digit(k.toString().charAt(i), 16));
        }
        assertThat(key("abc1").sharedPrefixLength(key("abc2"))).isEqualTo(3);
        assertThat(key("1").sharedPrefixLength(key("2"))).isZero();
        assertThat(k.sharedPrefixLength(k)).isEqualTo(40);
        NodeKey a = NodeKey.parse("0123456789abcdef0123456789abcdef01234567");
        NodeKey b = NodeKey.parse("0123456789abcdef0123456789abcdef01234568");
        assertThat(a.sharedPrefixLength(b)).isEqualTo(39);
    }

    @Test
    void ringDistanceWrapsAround() {
        NodeKey nearTop = NodeKey.parse("f".repeat(40));
        NodeKey nearBottom = NodeKey.parse("0".repeat(39) + "1");
        assertThat(nearTop.distance(nearBottom)).isEqualTo(NodeKey.parse("0".repeat(39) + "2"));
        assertThat(nearBottom.distance(nearTop)).isEqualTo(NodeKey.parse("0".repeat(39) + "2"));
        assertThat(nearTop.distance(nearTop)).isEqualTo(NodeKey.ZERO);
    }

    @Test
    void distanceAgreesWithBigIntegerArithmetic() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            NodeKey a = NodeKey.random(random);
            NodeKey b = i % 10 == 0 ? a : NodeKey.random(random);
            BigInteger d = num(a).subtract(num(b)).abs();
            BigInteger expected = d.min(RING.subtract(d));
            assertThat(num(a.distance(b))).isEqualTo(expected);
            assertThat(num(a.minus(b))).isEqualTo(num(a).subtract(num(b)).mod(RING));
            assertThat(Integer.signum(a.compareTo(b))).isEqualTo(num(a).compareTo(num(b)));
        }
    }

    @Test
    void equalDistanceIsBrokenTowardsTheSmallerKey() {
        NodeKey target = key("8");
        NodeKey below = key("7");
        NodeKey above = key("9");
        assertThat(NodeKey.compareByDistance(target, below, above)).isNegative();
        assertThat(NodeKey.compareByDistance(target, above, below)).isPositive();
        assertThat(NodeKey.compareByDistance(target, key("81"), below)).isNegative();
    }
}
