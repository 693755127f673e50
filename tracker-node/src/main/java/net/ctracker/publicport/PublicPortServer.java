package net.ctracker.publicport;

/** A server of the public port (HTTP, HTTPS or UDP), as its lifecycle sees it. */
public interface PublicPortServer extends AutoCloseable {

    /** Binds and starts serving. */
    void start() throws InterruptedException;

    /** The port bound (useful when configured as 0). */
    int port();

    boolean isRunning();

    /** How it does its I/O, for the log line that says it started (empty when nothing to say). */
    default String io() {
        return "";
    }

    @Override
    void close();
}
