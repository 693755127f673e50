package net.ctracker.overlay.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Join;
import net.ctracker.overlay.message.Message.JoinAck;
import net.ctracker.overlay.message.Message.JoinNack;
import net.ctracker.overlay.message.Message.LeafExchange;
import net.ctracker.overlay.message.Message.Lookup;
import net.ctracker.overlay.message.Message.LookupReply;
import net.ctracker.overlay.message.Message.Piggy;
import net.ctracker.overlay.message.Message.Obituary;
import net.ctracker.overlay.message.Message.Ping;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.message.Message.RowExchange;
import net.ctracker.overlay.message.Message.Update;
import net.ctracker.overlay.message.MessageFormatException.Reason;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

class MessageCodecTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(11);
    private static final NodeHandle FROM = handle("http://127.0.0.1:7070", "eu-west");

    private static NodeHandle handle(String address, String region) {
        return new NodeHandle(NodeKey.random(RANDOM), address, region);
    }

    private static List<NodeHandle> handles(int n) {
        List<NodeHandle> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(handle("http://10.0.0." + i + ":7070", "r" + i % 3));
        }
        return out;
    }

    static List<Message> everyType() {
        NodeKey key = NodeKey.random(RANDOM);
        byte[] payload = new byte[300];
        RANDOM.nextBytes(payload);
        List<Message> all = List.of(
                new Join(handle("http://joiner:1", "ü-region"), 3),
                new Piggy(5, handles(7)),
                new JoinAck(handles(17)),
                new JoinNack(30_000, true),
                new JoinNack(2_000, false),
                new Update(true),
                new Update(false),
                new Ping(),
                new Ping(List.of(new Obituary(key, 12_345), new Obituary(FROM.key(), 0))),
                new LeafExchange(handles(16), true),
                new RowExchange(39, handles(48), false),
                new Route(key, FROM, 2, "tracker.publish", payload),
                new Direct("tracker.peers", new byte[0]),
                new Lookup(key, FROM, Long.MAX_VALUE, List.of(FROM.key(), key)),
                new LookupReply(-1, FROM, List.of(key)));
        assertThat(all.stream().map(Message::type).distinct()).hasSize(MessageType.values().length);
        return all;
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void roundTripsEveryMessageType(Message message) {
        byte[] body = MessageCodec.encode(new Envelope(FROM, message));
        Envelope back = MessageCodec.decode(body);
        assertThat(back.from()).isEqualTo(FROM);
        assertThat(back.message()).isEqualTo(message);
        assertThat(MessageCodec.encode(back)).isEqualTo(body);
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void everyTruncationIsRejectedWithItsOffset(Message message) {
        byte[] body = MessageCodec.encode(new Envelope(FROM, message));
        for (int len = 0; len < body.length; len++) {
            byte[] cut = Arrays.copyOf(body, len);
            int at = len;
            assertThatThrownBy(() -> MessageCodec.decode(cut))
                    .isInstanceOfSatisfying(MessageFormatException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
                        assertThat(e.offset()).isLessThanOrEqualTo(at);
                    });
        }
    }

    private static MessageFormatException rejection(byte[] body) {
        try {
            MessageCodec.decode(body);
        } catch (MessageFormatException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] body = MessageCodec.encode(new Envelope(FROM, new Ping()));
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        MessageFormatException e = rejection(longer);
        assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES);
        assertThat(e.offset()).isEqualTo(body.length);
    }

    @Test
    void rejectsUnknownVersionAndType() {
        byte[] body = MessageCodec.encode(new Envelope(FROM, new Ping()));
        body[0] = 2;
        assertThat(rejection(body).reason()).isEqualTo(Reason.BAD_VERSION);
        body[0] = 1;
        body[1] = 99;
        MessageFormatException e = rejection(body);
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThat(e.offset()).isEqualTo(1);
    }

    @Test
    void rejectsBadBooleanAndBadUtf8() {
        byte[] body = MessageCodec.encode(new Envelope(FROM, new Update(true)));
        body[body.length - 1] = 7;
        MessageFormatException e = rejection(body);
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e.offset()).isEqualTo(body.length - 1);

        byte[] ping = MessageCodec.encode(new Envelope(FROM, new Ping()));
        int addressStart = 2 + NodeKey.BYTES + 2;
        ping[addressStart] = (byte) 0xC3; // a lone lead byte followed by ASCII
        MessageFormatException bad = rejection(ping);
        assertThat(bad.reason()).isEqualTo(Reason.BAD_UTF8);
        assertThat(bad.offset()).isEqualTo(addressStart - 2);
    }

    @Test
    void rejectsOversizedCountsAndLengthsOnDecode() {
        byte[] body = MessageCodec.encode(new Envelope(FROM, new JoinAck(List.of())));
        ByteBuffer.wrap(body).putShort(body.length - 2, (short) (MessageCodec.MAX_HANDLES + 1));
        MessageFormatException e = rejection(body);
        assertThat(e.reason()).isEqualTo(Reason.COUNT_LIMIT);
        assertThat(e.offset()).isEqualTo(body.length - 2);

        byte[] direct = MessageCodec.encode(new Envelope(FROM, new Direct("x", new byte[0])));
        ByteBuffer.wrap(direct).putInt(direct.length - 4, MessageCodec.MAX_PAYLOAD_BYTES + 1);
        assertThat(rejection(direct).reason()).isEqualTo(Reason.LENGTH_LIMIT);

        assertThat(rejection(new byte[MessageCodec.MAX_BODY_BYTES + 1]).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void rejectsANegativeObituaryAgeAndTooManyObituaries() {
        byte[] body = MessageCodec.encode(new Envelope(FROM, new Ping(List.of(new Obituary(FROM.key(), 5)))));
        ByteBuffer.wrap(body).putLong(body.length - 8, -1);
        MessageFormatException e = rejection(body);
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e.offset()).isEqualTo(body.length - 8);

        byte[] empty = MessageCodec.encode(new Envelope(FROM, new Ping()));
        ByteBuffer.wrap(empty).putShort(empty.length - 2, (short) (MessageCodec.MAX_OBITUARIES + 1));
        MessageFormatException many = rejection(empty);
        assertThat(many.reason()).isEqualTo(Reason.COUNT_LIMIT);
        assertThat(many.offset()).isEqualTo(empty.length - 2);

        List<Obituary> tooMany = Collections.nCopies(MessageCodec.MAX_OBITUARIES + 1, new Obituary(FROM.key(), 1));
        assertThatThrownBy(() -> MessageCodec.encode(new Envelope(FROM, new Ping(tooMany))))
                .isInstanceOfSatisfying(MessageFormatException.class, x -> assertThat(x.reason()).isEqualTo(Reason.COUNT_LIMIT));
    }

    @Test
    void refusesToEncodeBeyondTheLimits() {
        assertThatThrownBy(() -> MessageCodec.encode(new Envelope(FROM, new JoinAck(handles(MessageCodec.MAX_HANDLES + 1)))))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.COUNT_LIMIT));
        assertThatThrownBy(() -> MessageCodec.encode(new Envelope(FROM, new Direct("x", new byte[MessageCodec.MAX_PAYLOAD_BYTES + 1]))))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LENGTH_LIMIT));
        NodeHandle longAddress = new NodeHandle(FROM.key(), "x".repeat(MessageCodec.MAX_ADDRESS_BYTES + 1), "r");
        assertThatThrownBy(() -> MessageCodec.encode(new Envelope(longAddress, new Ping())))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LENGTH_LIMIT));
        List<NodeKey> longPath = Collections.nCopies(MessageCodec.MAX_PATH + 1, FROM.key());
        assertThatThrownBy(() -> MessageCodec.encode(new Envelope(FROM, new Lookup(FROM.key(), FROM, 1, longPath))))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.COUNT_LIMIT));
        assertThatThrownBy(() -> MessageCodec.encode(new Envelope(FROM, new Piggy(40, List.of()))))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE));
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        SplittableRandom random = new SplittableRandom(5);
        byte[] valid = MessageCodec.encode(new Envelope(FROM, new LeafExchange(handles(4), true)));
        for (int i = 0; i < 5_000; i++) {
            byte[] mutated = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            try {
                MessageCodec.decode(mutated);
            } catch (MessageFormatException expected) {
                assertThat(expected.offset()).isBetween(0, mutated.length);
            }
        }
    }
}
