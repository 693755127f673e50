package net.ctracker.time;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per gap for a kind of event a peer or client can repeat at will (malformed
 * messages, wrong credentials): the events in between are counted and named in the next line.
 * Thread-safe; the caller passes the time, so it runs on any clock.
 */
public final class LogGap {

    private final long gapMillis;
    private final AtomicLong lastMillis = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong skipped = new AtomicLong();

    public LogGap(long gapMillis) {
        this.gapMillis = gapMillis;
    }

    /** The events not logged since the last line if this one is to be logged now, else -1 (it is counted). */
    public long admit(long nowMillis) {
        long last = lastMillis.get();
        if (nowMillis - last >= gapMillis && lastMillis.compareAndSet(last, nowMillis)) {
            return skipped.getAndSet(0);
        }
        skipped.incrementAndGet();
        return -1;
    }

    /** The suffix that names the skipped events, empty when there were none. */
    public static String since(long skipped) {
        return skipped > 0 ? " (and " + skipped + " more since the last report)" : "";
    }
}
