package net.ctracker.config;

import net.ctracker.publicport.PublicHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Starts the public announce server with the context and stops it first on shutdown. */
public class PublicServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PublicServerLifecycle.class);

    private final PublicHttpServer server;

    PublicServerLifecycle(PublicHttpServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the public port", e);
        }
        log.info("public tracker port {} serves /announce and /scrape", server.port());
    }

    @Override
    public void stop() {
        server.close();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    /** The bound public port. */
    public int port() {
        return server.port();
    }
}
