package net.ctracker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class MessageAuthenticatorTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final byte[] secret = "a shared cluster secret".getBytes(StandardCharsets.UTF_8);
    private final MessageAuthenticator sender = new MessageAuthenticator(secret, now::get, Duration.ofSeconds(30), 1000);
    private final MessageAuthenticator receiver = new MessageAuthenticator(secret, now::get, Duration.ofSeconds(30), 1000);
    private final byte[] body = {1, 2, 3, 4};

    @Test
    void acceptsASignedMessageOnce() {
        MessageAuthenticator.Signature s = sender.sign(body);
        assertThat(receiver.verify(s.timestampMillis(), s.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        assertThat(receiver.verify(s.timestampMillis(), s.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.REPLAYED);
    }

    @Test
    void theSameBodySentTwiceInOneMillisecondIsTwoMessages() {
        MessageAuthenticator.Signature a = sender.sign(body);
        MessageAuthenticator.Signature b = sender.sign(body);
        MessageAuthenticator.Signature c = sender.sign(body);
        assertThat(receiver.verify(a.timestampMillis(), a.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        assertThat(receiver.verify(b.timestampMillis(), b.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        assertThat(receiver.verify(c.timestampMillis(), c.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        assertThat(b.timestampMillis() - a.timestampMillis()).as("a repeat takes the next millisecond").isEqualTo(1);
        // a different body in the same millisecond keeps the clock's time; a repeat a millisecond
        // later does not collide with the one moved there
        assertThat(sender.sign(new byte[] {7}).timestampMillis()).isEqualTo(now.get());
        now.incrementAndGet();
        MessageAuthenticator.Signature d = sender.sign(body);
        assertThat(d.timestampMillis()).isEqualTo(now.get() + 2);
        assertThat(receiver.verify(d.timestampMillis(), d.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
    }

    @Test
    void refusesATamperedBodyTimestampOrForeignSecret() {
        MessageAuthenticator.Signature s = sender.sign(body);
        assertThat(receiver.verify(s.timestampMillis(), s.mac(), new byte[] {1, 2, 3, 5}))
                .isEqualTo(MessageAuthenticator.Verdict.BAD_SIGNATURE);
        assertThat(receiver.verify(s.timestampMillis() + 1, s.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.BAD_SIGNATURE);
        assertThat(receiver.verify(s.timestampMillis(), "not hex", body)).isEqualTo(MessageAuthenticator.Verdict.BAD_SIGNATURE);
        assertThat(receiver.verify(s.timestampMillis(), null, body)).isEqualTo(MessageAuthenticator.Verdict.BAD_SIGNATURE);
        MessageAuthenticator stranger = new MessageAuthenticator("another secret, 16+ chars".getBytes(StandardCharsets.UTF_8),
                now::get, Duration.ofSeconds(30), 1000);
        MessageAuthenticator.Signature foreign = stranger.sign(body);
        assertThat(receiver.verify(foreign.timestampMillis(), foreign.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.BAD_SIGNATURE);
    }

    @Test
    void refusesMessagesOutsideTheReplayWindowAndForgetsOldOnes() {
        MessageAuthenticator.Signature s = sender.sign(body);
        now.addAndGet(31_000);
        assertThat(receiver.verify(s.timestampMillis(), s.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.STALE);
        MessageAuthenticator.Signature fresh = sender.sign(body);
        assertThat(receiver.verify(fresh.timestampMillis(), fresh.mac(), body)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        now.addAndGet(31_000);
        receiver.expire();
        assertThat(receiver.remembered()).isZero();
        assertThat(receiver.verify(fresh.timestampMillis(), fresh.mac(), body))
                .as("still refused after being forgotten: it is stale").isEqualTo(MessageAuthenticator.Verdict.STALE);
    }

    @Test
    void memoryOfSeenMessagesIsBoundedAndFailsClosed() {
        MessageAuthenticator small = new MessageAuthenticator(secret, now::get, Duration.ofSeconds(30), 3);
        for (int i = 0; i < 3; i++) {
            MessageAuthenticator.Signature s = sender.sign(new byte[] {(byte) i});
            assertThat(small.verify(s.timestampMillis(), s.mac(), new byte[] {(byte) i})).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        }
        MessageAuthenticator.Signature s = sender.sign(new byte[] {9});
        assertThat(small.verify(s.timestampMillis(), s.mac(), new byte[] {9})).isEqualTo(MessageAuthenticator.Verdict.OVERLOADED);
        now.addAndGet(31_000);
        MessageAuthenticator.Signature later = sender.sign(new byte[] {9});
        assertThat(small.verify(later.timestampMillis(), later.mac(), new byte[] {9})).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new MessageAuthenticator(new byte[8], now::get, Duration.ofSeconds(1), 1))
                .hasMessageContaining("at least 16 bytes");
    }
}
