package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import net.ctracker.overlay.message.Message.Update;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.overlay.routing.RttEstimator;

/**
 * Discovery and admission: how nodes heard of enter the leaf set and the routing table, and how
 * removed nodes are remembered and later re-probed.
 *
 * <p>Invariants: a node heard of from a third party (PIGGY, leaf or row exchange, JOIN_ACK) is
 * admitted only after it answered a probe itself, so gossip cannot re-insert a dead node and every
 * entry has a measured RTT; only candidates that could be useful are probed, and a candidate that
 * could only compete on RTT for a full cell is probed at most once per {@code probeMemoryMillis};
 * at most one probe per address is in flight (by address: a node restarted under its old key is a
 * different incarnation). A removed node is refused during the grace period unless it speaks to us
 * directly. All memories are bounded ({@code maxRemembered}, {@code maxProbeMemory}). Event-loop state.
 */
final class DiscoveryProtocol {

    private record Removed(NodeHandle handle, long atMillis) {
    }

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final ObituaryProtocol obituaries;
    private final Consumer<NodeHandle> newLeaf;
    /** Recently removed nodes (failed or left), oldest first: refused during the grace period, re-probed later. */
    private final LinkedHashMap<NodeKey, Removed> removed = new LinkedHashMap<>();
    /** Candidates probed and found not useful, oldest first, with the time of the probe. */
    private final LinkedHashMap<NodeKey, Long> probedAt = new LinkedHashMap<>();
    /** Addresses with a probe in flight. */
    private final Set<String> probing = new HashSet<>();

    /**
     * @param newLeaf told of each node this protocol admits to the leaf set while joined (the
     *                leaf-set protocol sends it our leaf set)
     */
    DiscoveryProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, ObituaryProtocol obituaries,
                      Consumer<NodeHandle> newLeaf) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.obituaries = obituaries;
        this.newLeaf = newLeaf;
    }

    /** Starts re-probing removed nodes (and expiring the memories) every {@code reprobePeriodMillis}. */
    void start() {
        ctx.every(ctx.config.discovery().reprobePeriodMillis(), this::reprobeRemoved);
    }

    /** A node heard of from someone else: probe it if it might be useful and is not known to be dead. */
    void consider(NodeHandle h) {
        ctx.checkLoop();
        OverlayConfig config = ctx.config;
        NodeKey key = h.key();
        if (key.equals(ctx.self.key()) || neighbourhood.contains(key) || probing.contains(h.address())) {
            return;
        }
        long now = ctx.now();
        Removed r = removed.get(key);
        if (r != null && now - r.atMillis() < config.failures().gracePeriodMillis()) {
            return;
        }
        if (!neighbourhood.leafSet().wouldAdmit(key) && !neighbourhood.table().wouldAdmit(key, Double.NaN)) {
            // it could only compete on RTT for a full cell: worth one probe now and then
            if (!config.tables().proximity()) {
                return;
            }
            Long probed = probedAt.get(key);
            if (probed != null && now - probed < config.discovery().probeMemoryMillis()) {
                return;
            }
        }
        probing.add(h.address());
        // tracked: a candidate that does not answer is remembered as removed (not re-probed within the grace period)
        sender.send(h, obituaries.ping(), rtt -> {
            probing.remove(h.address());
            if (!admit(h, rtt)) {
                Memories.remember(probedAt, key, ctx.now(), config.discovery().maxProbeMemory());
            }
        }, () -> probing.remove(h.address()));
    }

    /** Whether a probe to {@code h}'s address is in flight. */
    boolean probing(NodeHandle h) {
        return probing.contains(h.address());
    }

    /** UPDATE(joined) to a node we learned of; its acknowledgement admits it with a measured RTT. */
    void announceTo(NodeHandle h) {
        ctx.checkLoop();
        probing.add(h.address());
        sender.send(h, new Update(true), rtt -> {
            probing.remove(h.address());
            admit(h, rtt);
        }, () -> probing.remove(h.address()));
    }

    /** Admits a node that has just answered us. Returns whether it entered the leaf set or the table. */
    boolean admit(NodeHandle h, double rttMillis) {
        ctx.checkLoop();
        OverlayConfig config = ctx.config;
        NodeKey key = h.key();
        if (key.equals(ctx.self.key()) || ctx.stopped()) {
            return false;
        }
        long now = ctx.now();
        Neighbour existing = neighbourhood.get(key);
        if (existing != null) {
            existing.heard(now);
            return true;
        }
        removed.remove(key);
        Neighbour n = new Neighbour(h, new RttEstimator(config.timeouts().minRtoMillis(), config.timeouts().maxRtoMillis(),
                config.timeouts().initialRtoMillis(), config.timeouts().rtoMarginMillis()), config.tables().linkQualityWeight(), now);
        if (!Double.isNaN(rttMillis)) {
            n.rtt().sample(rttMillis);
        }
        Neighbourhood.Admission admission = neighbourhood.insert(n);
        if (admission.leafSet() && ctx.joined()) {
            // a new leaf hears of all our leaves and contacts those it lacks: this is what merges leaf
            // sets quickly after a partition heals or many nodes join, at no cost while the leaf set is stable
            newLeaf.accept(h);
        }
        return admission.admitted();
    }

    /** A node taken for dead: refused for the grace period, re-probed later. */
    void died(NodeHandle h) {
        Memories.remember(removed, h.key(), new Removed(h, ctx.now()), ctx.config.discovery().maxRemembered());
    }

    /** How much longer a joiner with this key is refused (0: not at all). */
    long graceLeftMillis(NodeKey key) {
        Removed r = removed.get(key);
        long now = ctx.now();
        long grace = ctx.config.failures().gracePeriodMillis();
        return r != null && now - r.atMillis() < grace ? grace - (now - r.atMillis()) : 0;
    }

    /** A node that is no neighbour spoke to us: it is alive (the grace period guards only against gossip). */
    void heardDirectly(NodeHandle h) {
        removed.remove(h.key());
        consider(h);
    }

    /**
     * Sends UPDATE to a few removed nodes whose grace period is over: this is what merges two halves
     * of a healed partition into one overlay. Forgets removed nodes and death notices older than
     * {@code removedMemoryMillis} first (one sweep for both memories of the dead).
     */
    private void reprobeRemoved() {
        OverlayConfig config = ctx.config;
        long now = ctx.now();
        removed.values().removeIf(r -> now - r.atMillis() > config.discovery().removedMemoryMillis());
        obituaries.expire(now);
        List<Removed> due = new ArrayList<>();
        for (Removed r : removed.values()) {
            if (now - r.atMillis() >= config.failures().gracePeriodMillis() && !probing.contains(r.handle().address())) {
                due.add(r);
            }
        }
        int batch = Math.min(config.discovery().reprobeBatch(), due.size());
        for (int i = 0; i < batch; i++) {
            Collections.swap(due, i, i + ctx.random.nextInt(due.size() - i));
            NodeHandle h = due.get(i).handle();
            probing.add(h.address());
            sender.sendUntracked(h, new Update(true), 0, rtt -> {
                probing.remove(h.address());
                removed.remove(h.key());
                admit(h, rtt);
            }, () -> probing.remove(h.address())); // still missing: it stays remembered until removedMemoryMillis
        }
    }
}
