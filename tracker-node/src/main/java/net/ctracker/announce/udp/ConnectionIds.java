package net.ctracker.announce.udp;

import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import net.ctracker.time.Clock;

/**
 * BEP 15 connection IDs that need no memory per client. An ID is SipHash-2-4 of the client's
 * address under the key of the current time window; a new random key is drawn for every window
 * and the one before it is kept, so an ID is accepted for one to two windows after it was issued
 * (with the default one-minute window: at least the minute BEP 15 lets a client use it, at most
 * the two minutes it lets a tracker accept it).
 *
 * <p>Threat model: an attacker who spoofs a victim's source address never sees the connect reply
 * sent to the victim, so it cannot guess the 64-bit ID; an ID captured from one address is
 * worthless from another; an ID captured on the path is worthless after two windows, and keys are
 * never derived from each other, so one leaked key exposes only its own window. The keys live only
 * in this process: a restart invalidates every ID, and clients simply connect again.
 *
 * <p>Thread-safe and lock-free: the two keys are one immutable snapshot, replaced by
 * compare-and-set when a call finds that the window has moved on.
 */
public final class ConnectionIds {

    private record Keys(long window, long k0, long k1, long previousK0, long previousK1) {
    }

    private final Clock clock;
    private final RandomGenerator random;
    private final long windowMillis;
    private final AtomicReference<Keys> keys;

    /**
     * @param random source of the keys (a {@code SecureRandom} in production)
     * @param windowMillis how long one key issues IDs; IDs stay valid for one to two windows
     */
    public ConnectionIds(Clock clock, RandomGenerator random, long windowMillis) {
        if (windowMillis < 1) {
            throw new IllegalArgumentException("the window must be positive");
        }
        this.clock = clock;
        this.random = random;
        this.windowMillis = windowMillis;
        long window = Math.floorDiv(clock.nowMillis(), windowMillis);
        // the "previous" key of the first window is random too: it matches nothing ever issued
        this.keys = new AtomicReference<>(new Keys(window, random.nextLong(), random.nextLong(),
                random.nextLong(), random.nextLong()));
    }

    /** A connection ID for a client at {@code address} (4 or 16 bytes). */
    public long issue(byte[] address) {
        Keys k = current();
        return SipHash.hash(k.k0(), k.k1(), address, 0, address.length);
    }

    /** Whether {@code id} was issued to {@code address} in this window or the one before. */
    public boolean isValid(long id, byte[] address) {
        Keys k = current();
        return id == SipHash.hash(k.k0(), k.k1(), address, 0, address.length)
                || id == SipHash.hash(k.previousK0(), k.previousK1(), address, 0, address.length);
    }

    private Keys current() {
        long window = Math.floorDiv(clock.nowMillis(), windowMillis);
        Keys k = keys.get();
        while (window > k.window()) {
            Keys next = window == k.window() + 1
                    ? new Keys(window, random.nextLong(), random.nextLong(), k.k0(), k.k1())
                    // more than one window passed unseen: nothing issued before may be accepted
                    : new Keys(window, random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            if (keys.compareAndSet(k, next)) {
                return next;
            }
            k = keys.get();
        }
        return k;
    }
}
