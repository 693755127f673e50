package net.ctracker.swarm;

/** What a scrape reports for one swarm (BEP 48). */
public record SwarmCounts(int complete, int incomplete, int downloaded) {
    public static final SwarmCounts EMPTY = new SwarmCounts(0, 0, 0);
}
