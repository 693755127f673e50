package net.ctracker.partial;

import net.ctracker.time.Scheduler;

/**
 * A task that runs once, a delay after the first request since it last ran; requests while it
 * waits change nothing. Batches and rechecks of the partial trackers use it so that a burst of
 * events schedules one timer. Event loop only.
 */
final class Deferred {

    private final Scheduler scheduler;
    private final long delayMillis;
    private final Runnable task;
    private boolean scheduled;

    Deferred(Scheduler scheduler, long delayMillis, Runnable task) {
        this.scheduler = scheduler;
        this.delayMillis = delayMillis;
        this.task = task;
    }

    /** Runs the task its delay from now, unless it is waiting already. */
    void request() {
        request(delayMillis);
    }

    /** Runs the task {@code delayMillis} from now, unless it is waiting already. */
    void request(long delayMillis) {
        if (!scheduled) {
            scheduled = true;
            scheduler.schedule(delayMillis, this::run);
        }
    }

    /** Runs the task now (a timer still waiting runs it again, then finding less or nothing to do). */
    void run() {
        scheduled = false;
        task.run();
    }
}
