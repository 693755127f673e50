package net.ctracker.overlay.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

import net.ctracker.time.Cancellable;

/**
 * Deterministic discrete-event core: a virtual clock in milliseconds and a priority queue of events
 * ordered by (time, sequence number), so events due at the same instant run in submission order.
 * Everything runs on the calling thread; with the same seed a run replays exactly.
 */
public final class Simulator {

    /** One scheduled task; {@code owner} is the host whose death silently drops it (null: none). */
    static final class Event implements Cancellable, Comparable<Event> {
        final long time;
        final long seq;
        final SimHost owner;
        final Runnable task;
        boolean cancelled;

        Event(long time, long seq, SimHost owner, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.owner = owner;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SplittableRandom random;
    private final long seed;
    private final Thread driver = Thread.currentThread();
    private long now;
    private long seq;
    private long executed;

    public Simulator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Whether the caller is the thread that created this simulator, the only one that may drive it. */
    public boolean onDrivingThread() {
        return Thread.currentThread() == driver;
    }

    public long seed() {
        return seed;
    }

    public long now() {
        return now;
    }

    public long eventsExecuted() {
        return executed;
    }

    public int pending() {
        return queue.size();
    }

    /** The simulation's root random source; split it to give each component its own stream. */
    public SplittableRandom random() {
        return random;
    }

    public Event at(long time, SimHost owner, Runnable task) {
        Event e = new Event(Math.max(time, now), seq++, owner, task);
        queue.add(e);
        return e;
    }

    public Event after(long delay, SimHost owner, Runnable task) {
        return at(now + Math.max(0, delay), owner, task);
    }

    /** Runs every event due up to and including {@code time}, then sets the clock to {@code time}. */
    public void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            Event e = queue.poll();
            now = e.time;
            if (e.cancelled || (e.owner != null && !e.owner.alive())) {
                continue;
            }
            executed++;
            e.task.run();
        }
        now = Math.max(now, time);
    }

    public void runFor(long millis) {
        runUntil(now + millis);
    }
}
