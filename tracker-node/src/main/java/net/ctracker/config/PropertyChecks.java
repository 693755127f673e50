package net.ctracker.config;

import java.time.Duration;

/**
 * Checks of settings that name the property as an operator writes it ({@code ctracker.announce.numwant-max}),
 * never the Java field. Used in the compact constructors of the properties records.
 */
final class PropertyChecks {

    private PropertyChecks() {
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static int inRange(String property, int value, int min, int max) {
        require(value >= min && value <= max, property + " must be between " + min + " and " + max + ", not " + value);
        return value;
    }

    static long atLeast(String property, long value, long min) {
        require(value >= min, property + " must be at least " + min + ", not " + value);
        return value;
    }

    static Duration set(String property, Duration value) {
        require(value != null, property + " must be set (a duration such as 30s)");
        return value;
    }

    static Duration positive(String property, Duration value) {
        set(property, value);
        require(value.toMillis() >= 1, property + " must be positive, not " + value);
        return value;
    }
}
