package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.ctracker.overlay.message.Message.Obituary;
import net.ctracker.overlay.message.Message.Ping;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeKey;

/**
 * Death notices: how news of a failed or departed node reaches every table without pinging every
 * entry often. A node that removes a neighbour after failed verification (or on its goodbye) writes
 * a notice; notices ride on PINGs (each carried by {@code obituarySends} PINGs, fewest-sent first),
 * are pushed at once to {@code obituaryPushFanout} random neighbours, and go to the watched leaves at
 * their next ping tick. Every node passes a notice on once.
 *
 * <p>Threat model: a notice is a hint, never a verdict. A holder verifies it like a missed
 * acknowledgement ({@link FailureDetector#deathReported}), so a stale or false notice costs a probe
 * and removes nobody; a node heard from directly has its notice withdrawn. Memory is bounded by
 * {@code maxRemembered} notices, each forgotten after {@code removedMemoryMillis}. Event-loop state.
 */
final class ObituaryProtocol {

    /**
     * A death notice to pass on: when the node was found dead (local clock), PINGs left to carry it,
     * and whether the nearest leaves have yet to be told.
     */
    private static final class Obit {
        final long diedAtMillis;
        int sendsLeft;
        boolean ringPending = true;

        Obit(long diedAtMillis, int sendsLeft) {
            this.diedAtMillis = diedAtMillis;
            this.sendsLeft = sendsLeft;
        }
    }

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final FailureDetector failures;
    /** Failed or departed nodes, newest last. */
    private final LinkedHashMap<NodeKey, Obit> obituaries = new LinkedHashMap<>();
    private long lastPushMillis = Long.MIN_VALUE / 2;
    private boolean pushScheduled;

    ObituaryProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, FailureDetector failures) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.failures = failures;
    }

    /** A PING with the notices due. */
    Ping ping() {
        return ping(false);
    }

    /** Whether some notice has not reached the nearest leaves yet. */
    boolean ringNews() {
        return obituaries.values().stream().anyMatch(o -> o.ringPending);
    }

    /**
     * A PING carrying the notices that still have sends left, those sent least so far first; for the
     * nearest leaves ({@code ring}), those they have not been sent yet come first.
     */
    Ping ping(boolean ring) {
        if (obituaries.isEmpty()) {
            return new Ping();
        }
        long now = ctx.now();
        List<Map.Entry<NodeKey, Obit>> due = new ArrayList<>();
        for (Map.Entry<NodeKey, Obit> e : obituaries.entrySet()) {
            if (e.getValue().sendsLeft > 0 || (ring && e.getValue().ringPending)) {
                due.add(e);
            }
        }
        Comparator<Map.Entry<NodeKey, Obit>> order = Comparator.comparingInt(e -> -e.getValue().sendsLeft);
        if (ring) {
            order = Comparator.<Map.Entry<NodeKey, Obit>, Boolean>comparing(e -> !e.getValue().ringPending).thenComparing(order);
        }
        due.sort(order);
        List<Obituary> out = new ArrayList<>();
        for (Map.Entry<NodeKey, Obit> e : due.subList(0, Math.min(due.size(), MessageCodec.MAX_OBITUARIES))) {
            Obit o = e.getValue();
            o.sendsLeft = Math.max(0, o.sendsLeft - 1);
            if (ring) {
                o.ringPending = false;
            }
            out.add(new Obituary(e.getKey(), Math.max(0, now - o.diedAtMillis)));
        }
        return new Ping(out);
    }

    /** Records a notice to pass on; false if an equally recent one (within the grace period) is known. */
    boolean publish(NodeKey key, long diedAtMillis) {
        ctx.checkLoop();
        OverlayConfig config = ctx.config;
        Obit known = obituaries.get(key);
        if (known != null && known.diedAtMillis >= diedAtMillis - config.failures().gracePeriodMillis()) {
            return false;
        }
        if (config.obituaries().obituarySends() > 0) {
            Memories.remember(obituaries, key, new Obit(diedAtMillis, config.obituaries().obituarySends()), config.discovery().maxRemembered());
            push();
        }
        return true;
    }

    /** {@code key} spoke to us: stop passing on its death. */
    void withdraw(NodeKey key) {
        obituaries.remove(key);
    }

    /** Forgets notices older than the removed-node memory. */
    void expire(long now) {
        obituaries.values().removeIf(o -> now - o.diedAtMillis > ctx.config.discovery().removedMemoryMillis());
    }

    /**
     * News of a death goes out at once to {@code obituaryPushFanout} random neighbours (news learnt
     * within {@code obituaryPushGapMillis} of the last push waits for the next one), not only with the
     * next scheduled PINGs, which at the table ping period would take minutes to reach every table.
     */
    private void push() {
        OverlayConfig config = ctx.config;
        if (pushScheduled || config.obituaries().obituaryPushFanout() == 0) {
            return;
        }
        long wait = Math.max(0, lastPushMillis + config.obituaries().obituaryPushGapMillis() - ctx.now());
        pushScheduled = true;
        ctx.after(wait, () -> {
            ctx.checkLoop();
            pushScheduled = false;
            if (ctx.stopped()) {
                return;
            }
            lastPushMillis = ctx.now();
            List<Neighbour> all = new ArrayList<>(neighbourhood.all());
            for (int i = 0; i < Math.min(config.obituaries().obituaryPushFanout(), all.size()); i++) {
                Collections.swap(all, i, i + ctx.random.nextInt(all.size() - i));
                if (!failures.avoided(all.get(i))) {
                    sender.post(all.get(i).handle(), ping());
                }
            }
        });
    }

    /**
     * Another node says {@code o.key()} failed or left: pass the notice on once, at once (verification
     * would slow the spread by a probe timeout a hop), and have it verified if it is our neighbour.
     */
    void received(Obituary o) {
        ctx.checkLoop();
        NodeKey key = o.key();
        long diedAt = ctx.now() - Math.min(o.ageMillis(), ctx.config.discovery().removedMemoryMillis());
        if (key.equals(ctx.self.key()) || !publish(key, diedAt)) {
            return;
        }
        failures.deathReported(key, diedAt);
    }
}
