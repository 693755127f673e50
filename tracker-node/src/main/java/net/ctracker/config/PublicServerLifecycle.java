package net.ctracker.config;

import net.ctracker.publicport.PublicHttpServer;

/** Starts the public announce server (HTTP) with the context and stops it on shutdown. */
public class PublicServerLifecycle extends PortLifecycle {

    PublicServerLifecycle(PublicHttpServer server) {
        super(server, "public tracker port", "/announce and /scrape", "never: it is always on");
    }
}
