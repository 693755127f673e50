package net.ctracker.config;

import net.ctracker.publicport.PublicPortServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts one server of the public port with the context and stops it on shutdown; a port that is
 * off has no server. Each port has its own subclass, so that tests and wiring find it by type.
 */
abstract class PortLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PortLifecycle.class);

    private final PublicPortServer server;
    private final String name;
    private final String serves;
    private final String whenOff;

    /**
     * @param server  null when the port is off
     * @param name    the port as the logs name it
     * @param serves  what it serves, for the log
     * @param whenOff the setting that turns it off (or leaves it off), for the log
     */
    PortLifecycle(PublicPortServer server, String name, String serves, String whenOff) {
        this.server = server;
        this.name = name;
        this.serves = serves;
        this.whenOff = whenOff;
    }

    @Override
    public void start() {
        if (server == null) {
            LOG.info("{} off ({})", name, whenOff);
            return;
        }
        try {
            server.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the " + name, e);
        }
        String io = server.io();
        LOG.info("{} {} serves {}{}", name, server.port(), serves, io.isEmpty() ? "" : " (" + io + ")");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** The bound port, or 0 when the port is off. */
    public int port() {
        return server == null ? 0 : server.port();
    }
}
