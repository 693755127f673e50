package net.ctracker.transport;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import net.ctracker.time.Clock;

/**
 * Authenticates overlay messages with the cluster secret: HMAC-SHA256 over the sender's timestamp
 * and the body. Threat model: anyone may reach the internal port and may record and resend
 * traffic. A message is accepted only if its MAC verifies, its timestamp is within the replay
 * window of this node's clock, and the same MAC was not seen within that window. The memory of
 * seen MACs is bounded; when it is full and nothing has aged out, new messages are refused rather
 * than let memory grow (fail closed). Not covered: confidentiality (use a private network or TLS).
 */
public final class MessageAuthenticator {

    /** Outcome of {@link #verify}. */
    public enum Verdict { ACCEPTED, BAD_SIGNATURE, STALE, REPLAYED, OVERLOADED }

    /** Timestamp and MAC to send with one body. */
    public record Signature(long timestampMillis, String mac) {
    }

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;
    private final long windowMillis;
    private final int maxRemembered;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    /** MACs this node signed at timestamps from about {@link #signedFrom} on, with the timestamp: see {@link #sign}. */
    private final Map<String, Long> signed = new HashMap<>();
    private long signedFrom = Long.MIN_VALUE;

    public MessageAuthenticator(byte[] secret, Clock clock, Duration window, int maxRemembered) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.maxRemembered = maxRemembered;
    }

    /**
     * Signs {@code body} with the current time. Two identical messages signed in the same
     * millisecond (a node asking the same neighbour twice, as the farthest leaf on both sides) would
     * carry the same MAC, and the receiver would refuse the second as a replay and warn about the
     * secret; so a body already signed at that timestamp gets the next free millisecond instead.
     * Only exact repeats move, so timestamps stay within a few milliseconds of the clock.
     */
    public synchronized Signature sign(byte[] body) {
        long now = clock.nowMillis();
        if (now != signedFrom) {
            // a timestamp below now is never handed out again: those MACs cannot repeat (after the
            // clock steps back, only the few signed at the later times before the step stay)
            signed.values().removeIf(t -> t < now);
            signedFrom = now;
        }
        long timestamp = now;
        String mac = HexFormat.of().formatHex(mac(timestamp, body));
        while (signed.putIfAbsent(mac, timestamp) != null) {
            timestamp++;
            mac = HexFormat.of().formatHex(mac(timestamp, body));
        }
        return new Signature(timestamp, mac);
    }

    public Verdict verify(long timestampMillis, String macHex, byte[] body) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(macHex == null ? "" : macHex);
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        if (!MessageDigest.isEqual(given, mac(timestampMillis, body))) {
            return Verdict.BAD_SIGNATURE;
        }
        long now = clock.nowMillis();
        if (Math.abs(now - timestampMillis) > windowMillis) {
            return Verdict.STALE;
        }
        if (seen.size() >= maxRemembered) {
            forgetOlderThan(now - windowMillis);
            if (seen.size() >= maxRemembered) {
                return Verdict.OVERLOADED;
            }
        }
        String id = macHex.toLowerCase(java.util.Locale.ROOT);
        return seen.putIfAbsent(id, timestampMillis) == null ? Verdict.ACCEPTED : Verdict.REPLAYED;
    }

    /** Drops remembered MACs that can no longer be replayed; call now and then. */
    public void forgetOlderThan(long cutoffMillis) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < cutoffMillis) {
                it.remove();
            }
        }
    }

    public void expire() {
        forgetOlderThan(clock.nowMillis() - windowMillis);
    }

    int remembered() {
        return seen.size();
    }

    private byte[] mac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(timestamp).array());
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
