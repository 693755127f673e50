package net.ctracker.overlay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.routing.NodeHandle;

/**
 * The applications registered on one node, by application type, and the upcalls to them. Any
 * thread may register (the map is concurrent); the upcalls run on the event loop only.
 */
final class Applications {

    private final Map<String, Application> byType = new ConcurrentHashMap<>();

    void register(String appType, Application application) {
        byType.put(appType, application);
    }

    /** The message to forward to {@code nextHop} (the unchanged message when no application is registered), or null to stop it. */
    Route forward(Route message, NodeHandle nextHop) {
        Application app = byType.get(message.appType());
        return app == null ? message : app.forward(message.key(), message, nextHop);
    }

    void deliver(Route message) {
        Application app = byType.get(message.appType());
        if (app != null) {
            app.deliver(message.key(), message);
        }
    }

    void direct(NodeHandle from, Direct message) {
        Application app = byType.get(message.appType());
        if (app != null) {
            app.direct(from, message);
        }
    }

    /** Tells every application that this node is about to leave; one that fails does not keep the others from it. */
    void leaving() {
        RuntimeException first = null;
        for (Application app : byType.values()) {
            try {
                app.leaving();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Tells every application that {@code node} entered ({@code joined}) or left the leaf set. */
    void leafSetChanged(NodeHandle node, boolean joined) {
        for (Application app : byType.values()) {
            app.update(node, joined);
        }
    }
}
