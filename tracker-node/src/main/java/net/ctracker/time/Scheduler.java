package net.ctracker.time;

/**
 * A node's event loop: one thread (or, in the simulator, one virtual timeline) runs every task, so
 * state owned by the loop has exactly one writer and needs no locks.
 *
 * <p>Tasks submitted from any thread run on the loop, in submission order for tasks due at the
 * same instant. {@link #nowMillis()} is the loop's clock: production uses wall-clock time, the
 * simulator virtual time.
 */
public interface Scheduler extends Clock {

    /** Runs {@code task} on the loop after at least {@code delayMillis} (0 means as soon as possible). */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Runs {@code task} on the loop as soon as possible, after tasks already submitted. */
    void execute(Runnable task);

    /**
     * Whether the calling thread is the loop's own (in the simulator: the thread driving the
     * virtual timeline). State owned by the loop may be touched only when this is true; the overlay's
     * protocol code checks it.
     */
    boolean onLoop();
}
