package net.ctracker.publicport;

/** A server of the public port (HTTP, HTTPS or UDP), as its lifecycle sees it. */
public interface PublicPortServer extends AutoCloseable {

    /** Binds and starts serving. */
    void start() throws InterruptedException;

    /** The port bound (useful when configured as 0). */
    int port();

    boolean isRunning();

    @Override
    void close();
}
