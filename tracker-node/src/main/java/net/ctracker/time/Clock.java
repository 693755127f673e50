package net.ctracker.time;

/**
 * The one source of time for the plain-Java core. Production wiring passes the system clock
 * ({@code config.SystemClock}), tests and the simulator pass a virtual clock, so nothing in the
 * core reads the time itself.
 */
@FunctionalInterface
public interface Clock {

    /** Milliseconds on a monotonic-enough timeline; only differences are meaningful. */
    long nowMillis();
}
