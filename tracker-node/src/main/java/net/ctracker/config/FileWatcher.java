package net.ctracker.config;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that looks at the operator's files for changes (access lists, TLS certificate and
 * key, ALTO maps): each check runs every period; one that throws is logged and tried again, since a
 * task that throws is never run again by {@code scheduleWithFixedDelay}.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "file-watcher");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code check} every {@code periodMillis}; {@code what} names the files in a failure's log line. */
    public void watch(String what, long periodMillis, Runnable check) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.error("checking the {} for changes failed; what is in force stays, trying again in {} ms", what,
                        periodMillis, e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
