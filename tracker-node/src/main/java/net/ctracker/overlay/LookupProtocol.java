package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import net.ctracker.overlay.message.Message.Lookup;
import net.ctracker.overlay.message.Message.LookupReply;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.time.Cancellable;

/**
 * Lookups: a LOOKUP is routed to the root of its key, each hop appending its key to the path; the
 * root answers the origin directly with LOOKUP_REPLY. The origin keeps one pending entry per lookup
 * until the reply or {@code lookupTimeoutMillis}; replies to unknown or finished lookups are
 * ignored. Futures complete on the event loop. Event-loop state.
 */
final class LookupProtocol {

    private record Pending(NodeKey key, CompletableFuture<LookupResult> future, Cancellable timer) {
    }

    private final NodeContext ctx;
    private final Sender sender;
    private final RoutingProtocol routing;
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextRequestId = 1;

    LookupProtocol(NodeContext ctx, Sender sender, RoutingProtocol routing) {
        this.ctx = ctx;
        this.sender = sender;
        this.routing = routing;
    }

    void start(NodeKey key, CompletableFuture<LookupResult> future) {
        ctx.checkLoop();
        if (!ctx.joined() || ctx.stopped()) {
            future.completeExceptionally(new IllegalStateException("node has not joined the overlay"));
            return;
        }
        long id = nextRequestId++;
        Cancellable timer = ctx.after(ctx.config.lookups().lookupTimeoutMillis(), () -> {
            Pending p = pending.remove(id);
            if (p != null) {
                ctx.counters.lookupsTimedOut++;
                p.future().completeExceptionally(new TimeoutException("lookup of " + key + " timed out"));
            }
        });
        pending.put(id, new Pending(key, future, timer));
        routing.routeOnward(new Lookup(key, ctx.self, id, List.of(ctx.self.key())), 0);
    }

    /** A LOOKUP passing through: add this hop to the path and route it on. */
    void forward(Lookup m) {
        if (ctx.joined()) {
            List<NodeKey> path = new ArrayList<>(m.path());
            path.add(ctx.self.key());
            routing.routeOnward(new Lookup(m.key(), m.origin(), m.requestId(), path), 0);
        }
    }

    /** This node is the root of a LOOKUP: answer its origin. */
    void answer(Lookup lookup) {
        LookupReply reply = new LookupReply(lookup.requestId(), ctx.self, lookup.path());
        if (lookup.origin().key().equals(ctx.self.key())) {
            complete(reply);
        } else {
            sender.postUntracked(lookup.origin(), reply);
        }
    }

    void complete(LookupReply reply) {
        ctx.checkLoop();
        Pending p = pending.remove(reply.requestId());
        if (p == null) {
            return;
        }
        p.timer().cancel();
        ctx.counters.lookupsCompleted++;
        p.future().complete(new LookupResult(p.key(), reply.root(), Math.max(0, reply.path().size() - 1), reply.path()));
    }

    /** Fails every pending lookup: the node stopped. */
    void stop() {
        for (Pending p : pending.values()) {
            p.timer().cancel();
            p.future().completeExceptionally(new IllegalStateException("node stopped"));
        }
        pending.clear();
    }
}
