package net.ctracker.overlay;

import java.util.Set;

import net.ctracker.overlay.message.Message.Ping;
import net.ctracker.overlay.routing.Neighbour;

/**
 * Liveness pings (the ACK is the transport's acknowledgement; a miss goes to the
 * {@link FailureDetector}). Two periods, see docs/overlay.md ("Why not the brief's 20 s for
 * everything"): the {@code watchedLeaves} nearest leaves on each side, which decide which keys this
 * node is root of, are pinged when not heard from within {@code pingPeriodMillis}; every other
 * neighbour within {@code tablePingPeriodMillis}, since death notices reach them sooner. Every node
 * is watched this way by its own nearest neighbours. Event-loop state.
 */
final class PingProtocol {

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final ObituaryProtocol obituaries;

    PingProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, ObituaryProtocol obituaries) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.obituaries = obituaries;
    }

    void start() {
        ctx.every(ctx.config.pings().pingPeriodMillis(), this::pingQuietLeaves);
        ctx.every(ctx.config.pings().tablePingPeriodMillis(), this::pingQuietOthers);
    }

    /**
     * Pings the watched leaves not heard from within the ping period, or all of them when this node
     * has death notices they have not been sent yet. The random pushes and scheduled PINGs spread a
     * notice to almost every node within seconds; this ring of nearest neighbours makes sure the rest
     * hear of it within a ping period or two.
     */
    private void pingQuietLeaves() {
        long now = ctx.now();
        boolean news = obituaries.ringNews();
        Ping withNews = news ? obituaries.ping(true) : null;
        for (Neighbour n : neighbourhood.nearestLeaves(ctx.config.pings().watchedLeaves())) {
            if (news) {
                sender.post(n.handle(), withNews);
            } else if (now - n.lastHeardMillis() >= ctx.config.pings().pingPeriodMillis()) {
                sender.post(n.handle(), obituaries.ping());
            }
        }
    }

    /** Pings the other leaf-set members and the table entries not heard from within the table ping period. */
    private void pingQuietOthers() {
        long now = ctx.now();
        Set<Neighbour> watched = neighbourhood.nearestLeaves(ctx.config.pings().watchedLeaves());
        for (Neighbour n : neighbourhood.all()) {
            if (!watched.contains(n) && now - n.lastHeardMillis() >= ctx.config.pings().tablePingPeriodMillis()) {
                sender.post(n.handle(), obituaries.ping());
            }
        }
    }
}
