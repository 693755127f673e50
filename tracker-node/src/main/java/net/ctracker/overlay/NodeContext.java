package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.time.Cancellable;
import net.ctracker.time.Scheduler;

/**
 * What every protocol of one node shares besides the neighbour tables: who the node is, its
 * settings, its event loop and randomness, its counters, whether it has joined or stopped, and
 * the periodic timers (so that stopping cancels every protocol's timers at once).
 *
 * <p>Everything here but {@link #stopped()} is event-loop state: protocol code calls
 * {@link #checkLoop()} where it is entered (message handlers, timers, send outcomes), so work that
 * strays onto another thread fails loudly instead of racing.
 */
final class NodeContext {

    final NodeHandle self;
    final OverlayConfig config;
    final RandomGenerator random;
    final OverlayCounters counters;
    private final Scheduler loop;
    private final List<Periodic> periodics = new ArrayList<>();
    private boolean joined;
    /** Read by transport threads in {@link OverlayNode#receive}: volatile. */
    private volatile boolean stopped;

    NodeContext(NodeHandle self, OverlayConfig config, Scheduler loop, RandomGenerator random) {
        this.self = Objects.requireNonNull(self);
        this.config = Objects.requireNonNull(config);
        this.loop = Objects.requireNonNull(loop);
        this.random = Objects.requireNonNull(random);
        this.counters = new OverlayCounters(config.routing().maxHops());
    }

    /** Throws unless the caller runs on this node's event loop. */
    void checkLoop() {
        if (!loop.onLoop()) {
            throw new IllegalStateException("overlay node " + self + ": event-loop state touched from thread "
                    + Thread.currentThread().getName());
        }
    }

    long now() {
        return loop.nowMillis();
    }

    Cancellable after(long delayMillis, Runnable task) {
        return loop.schedule(delayMillis, task);
    }

    /** Runs {@code task} on the loop; the only way other threads reach the node's state. */
    void post(Runnable task) {
        loop.execute(task);
    }

    boolean joined() {
        return joined;
    }

    void joined(boolean value) {
        joined = value;
    }

    boolean stopped() {
        return stopped;
    }

    /** Stops the node: no more sends or timers; cancels the periodic timers. */
    void stop() {
        stopped = true;
        periodics.forEach(p -> p.next.cancel());
        periodics.clear();
    }

    /**
     * Runs {@code task} every {@code period}, starting at a random phase so nodes do not synchronise.
     * The phase is drawn from the node's random source at once: the order in which protocols start
     * their timers is part of what a simulator seed replays.
     */
    void every(long period, Runnable task) {
        Periodic p = new Periodic(period, task);
        periodics.add(p);
        p.next = loop.schedule(1 + random.nextLong(period), p);
    }

    /** A periodic task and its next scheduled run. */
    private final class Periodic implements Runnable {
        private final long period;
        private final Runnable task;
        private Cancellable next = Cancellable.NONE;

        Periodic(long period, Runnable task) {
            this.period = period;
            this.task = task;
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            checkLoop();
            task.run();
            next = loop.schedule(period, this);
        }
    }
}
