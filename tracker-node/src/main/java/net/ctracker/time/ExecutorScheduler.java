package net.ctracker.time;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Scheduler}: one daemon thread behind a {@link ScheduledExecutorService}.
 * A task that throws is reported through the thread's uncaught-exception handler and does not stop
 * the loop, because one faulty message must not take a node out of the overlay.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Thread.UncaughtExceptionHandler errors;

    public ExecutorScheduler(String threadName, Clock clock) {
        this(threadName, clock, (thread, error) -> {
            Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
            if (handler != null) {
                handler.uncaughtException(thread, error);
            } else {
                error.printStackTrace();
            }
        });
    }

    /** With {@code errors} told about every task that throws (for logging or metrics). */
    public ExecutorScheduler(String threadName, Clock clock, Thread.UncaughtExceptionHandler errors) {
        this.clock = clock;
        this.errors = errors;
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newSingleThreadScheduledExecutor(factory);
    }

    public ExecutorScheduler(String threadName) {
        this(threadName, Clock.system());
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
