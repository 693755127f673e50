package net.ctracker.config;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import net.ctracker.time.Cancellable;
import net.ctracker.time.Clock;
import net.ctracker.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: one daemon thread behind a {@link ScheduledExecutorService}.
 * It lives with the wiring because it owns a thread; the plain core only sees {@link Scheduler}.
 * A task that throws is reported to the error handler (by default an SLF4J error naming the loop)
 * and does not stop the loop, because one faulty message must not take a node out of the overlay.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Thread.UncaughtExceptionHandler errors;
    private volatile Thread thread;

    /** With every task that throws logged as an error, with the loop's thread name. */
    public ExecutorScheduler(String threadName, Clock clock) {
        this(threadName, clock, (thread, error) ->
                log.error("a task on event loop {} failed; the loop carries on", thread.getName(), error));
    }

    /** With {@code errors} told about every task that throws (for logging or metrics). */
    public ExecutorScheduler(String threadName, Clock clock, Thread.UncaughtExceptionHandler errors) {
        this.clock = clock;
        this.errors = errors;
        ThreadFactory factory = runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        };
        this.executor = Executors.newSingleThreadScheduledExecutor(factory);
    }

    /** On the system clock. */
    public ExecutorScheduler(String threadName) {
        this(threadName, SystemClock.INSTANCE);
    }

    @Override
    public long nowMillis() {
        return clock.nowMillis();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (executor.isShutdown()) {
            return Cancellable.NONE;
        }
        try {
            ScheduledFuture<?> future = executor.schedule(guarded(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException closedMeanwhile) {
            return Cancellable.NONE;
        }
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException closed) {
            // a closed loop drops work, like a stopped node
        }
    }

    @Override
    public boolean onLoop() {
        return Thread.currentThread() == thread;
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                errors.uncaughtException(Thread.currentThread(), e);
            }
        };
    }

    /** Stops the loop; tasks not yet started are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
