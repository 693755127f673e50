package net.ctracker.config;

import net.ctracker.time.Clock;

/** The wall clock, for production wiring only: the plain core receives a {@link Clock} and never reads the time itself. */
public enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }
}
