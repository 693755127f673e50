package net.ctracker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import net.ctracker.time.Cancellable;

class ExecutorSchedulerTest {

    @Test
    void runsTasksInOrderOnOneThreadAndSurvivesFailingTasks() {
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (ExecutorScheduler scheduler = new ExecutorScheduler("overlay-test", SystemClock.INSTANCE, (t, e) -> errors.add(e))) {
            scheduler.execute(() -> {
                throw new IllegalStateException("one bad task");
            });
            for (int i = 0; i < 100; i++) {
                int n = i;
                scheduler.execute(() -> {
                    order.add(n);
                    threads.add(Thread.currentThread().getName());
                });
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 100);
        }
        assertThat(order).isSorted();
        assertThat(errors).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(threads).containsOnly("overlay-test");
    }

    @Test
    void cancelledTasksDoNotRun() {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean later = new AtomicBoolean();
        try (ExecutorScheduler scheduler = new ExecutorScheduler("overlay-test")) {
            Cancellable c = scheduler.schedule(50, () -> ran.set(true));
            c.cancel();
            scheduler.schedule(100, () -> later.set(true));
            await().atMost(Duration.ofSeconds(5)).untilTrue(later);
        }
        assertThat(ran).isFalse();
    }
}
