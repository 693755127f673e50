package net.ctracker.time;

/**
 * The one source of time for the plain-Java core. Production passes {@link #system()}, tests and
 * the simulator pass a virtual clock, so nothing in the core calls {@code System.currentTimeMillis()}.
 */
@FunctionalInterface
public interface Clock {

    /** Milliseconds on a monotonic-enough timeline; only differences are meaningful. */
    long nowMillis();

    static Clock system() {
        return System::currentTimeMillis;
    }
}
