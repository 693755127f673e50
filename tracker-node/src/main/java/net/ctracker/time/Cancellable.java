package net.ctracker.time;

/** A handle on a scheduled task. Cancelling a task that already ran or was cancelled does nothing. */
@FunctionalInterface
public interface Cancellable {

    void cancel();

    /** A handle that cancels nothing, for callers that need a non-null placeholder. */
    Cancellable NONE = () -> { };
}
