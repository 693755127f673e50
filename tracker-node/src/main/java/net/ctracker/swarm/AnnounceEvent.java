package net.ctracker.swarm;

/** The {@code event} of an announce (BEP 3; {@code paused} from BEP 21 behaves like a regular announce). */
public enum AnnounceEvent {
    NONE, STARTED, STOPPED, COMPLETED, PAUSED;

    /** Parses the query value; {@code null} for an unknown word. An empty value is {@link #NONE}. */
    public static AnnounceEvent parse(String value) {
        return switch (value) {
            case "", "empty" -> NONE;
            case "started" -> STARTED;
            case "stopped" -> STOPPED;
            case "completed" -> COMPLETED;
            case "paused" -> PAUSED;
            default -> null;
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
