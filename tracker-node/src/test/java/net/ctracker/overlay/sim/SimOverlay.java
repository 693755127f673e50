package net.ctracker.overlay.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import net.ctracker.overlay.LookupResult;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * A simulated overlay: builds hosts running the production {@link OverlayNode} on a {@link Simulator}
 * and a {@link SimNetwork}, applies faults, and measures what a user of the overlay would notice
 * (whether keys reach their true root, hop counts, stretch, stale entries).
 *
 * <p>Static checks ({@link #walk}) follow each node's own next-hop choice without sending messages;
 * {@link #lookups} sends real LOOKUP messages through the simulated network.
 */
public final class SimOverlay {

    private final Simulator sim;
    private final SimNetwork net;
    private final OverlayConfig config;
    private final SplittableRandom random;
    private final List<SimHost> hosts = new ArrayList<>();
    private final Map<String, SimHost> byAddress = new HashMap<>();
    private TreeMap<NodeKey, SimHost> ring;
    private java.util.function.Consumer<SimHost> onCreate = h -> { };

    public SimOverlay(long seed, OverlayConfig config, LatencyModel latency) {
        this.sim = new Simulator(seed);
        this.net = new SimNetwork(sim, latency);
        this.config = config;
        this.random = sim.random().split();
    }

    public Simulator sim() {
        return sim;
    }

    /** Called for every new host before its node starts (to register applications on it). */
    public void onCreate(java.util.function.Consumer<SimHost> hook) {
        this.onCreate = hook;
    }

    public SimNetwork network() {
        return net;
    }

    public SplittableRandom random() {
        return random;
    }

    public List<SimHost> hosts() {
        return hosts;
    }

    // ------------------------------------------------------------------ building

    /** Creates a host and starts its join through a random live member (or as the first node). */
    public SimHost addNode() {
        return addNode(NodeKey.random(random));
    }

    /** Like {@link #addNode()}, with a chosen key (e.g. a node restarting under its old key). */
    public SimHost addNode(NodeKey key) {
        int id = hosts.size();
        String region = net.latency().place(id, random);
        NodeHandle handle = new NodeHandle(key, "sim://" + id, region);
        SimHost host = new SimHost(sim, id, handle);
        OverlayNode node = new OverlayNode(handle, config, host, net, random.split());
        host.attach(node);
        hosts.add(host);
        byAddress.put(handle.address(), host);
        net.register(host);
        List<SimHost> members = live();
        List<String> bootstrap = new ArrayList<>();
        for (int i = 0; i < Math.min(2, members.size()); i++) {
            bootstrap.add(members.get(random.nextInt(members.size())).handle().address());
        }
        host.joinStartedAt(sim.now());
        onCreate.accept(host);
        node.start(bootstrap);
        ring = null;
        return host;
    }

    /** Adds nodes one at a time, each after the previous one has joined and settled. */
    public void joinOneAtATime(int count, long settleMillis) {
        for (int i = 0; i < count; i++) {
            SimHost h = addNode();
            runUntilJoined(h, 60_000);
            sim.runFor(settleMillis);
        }
    }

    /** Adds {@code count} nodes, one every {@code spacingMillis}, without waiting for joins. */
    public void joinSpaced(int count, long spacingMillis) {
        for (int i = 0; i < count; i++) {
            addNode();
            sim.runFor(spacingMillis);
        }
    }

    public boolean runUntilJoined(SimHost h, long limitMillis) {
        long end = sim.now() + limitMillis;
        while (!h.node().isJoined() && sim.now() < end && h.alive()) {
            sim.runFor(20);
        }
        if (h.node().isJoined() && h.joinedAt() < 0) {
            h.joinedAt(sim.now());
        }
        ring = null;
        return h.node().isJoined();
    }

    public void run(long millis) {
        sim.runFor(millis);
        ring = null;
    }

    // ------------------------------------------------------------------ faults

    /** Kills a random {@code fraction} of the live nodes at once. */
    public List<SimHost> killFraction(double fraction) {
        List<SimHost> members = live();
        int n = (int) Math.round(members.size() * fraction);
        List<SimHost> victims = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(members.size() - i);
            SimHost t = members.get(j);
            members.set(j, members.get(i));
            members.set(i, t);
            t.kill();
            victims.add(t);
        }
        ring = null;
        return victims;
    }

    /** Splits the hosts into {@code groups} random groups that cannot reach each other. */
    public void partition(int groups) {
        for (SimHost h : hosts) {
            h.group(random.nextInt(groups));
        }
        net.partitioned(true);
    }

    public void heal() {
        net.heal();
    }

    // ------------------------------------------------------------------ inspection

    /** Live hosts that have joined. */
    public List<SimHost> live() {
        List<SimHost> out = new ArrayList<>();
        for (SimHost h : hosts) {
            if (h.alive() && h.node().isJoined()) {
                out.add(h);
            }
        }
        return out;
    }

    public SimHost host(NodeHandle h) {
        return byAddress.get(h.address());
    }

    private TreeMap<NodeKey, SimHost> ring() {
        if (ring == null) {
            ring = new TreeMap<>();
            for (SimHost h : live()) {
                ring.put(h.handle().key(), h);
            }
        }
        return ring;
    }

    /** The live node numerically closest to {@code key}, ties to the smaller key: the correct root. */
    public SimHost trueRoot(NodeKey key) {
        TreeMap<NodeKey, SimHost> r = ring();
        NodeKey above = r.ceilingKey(key);
        if (above == null) {
            above = r.firstKey();
        }
        NodeKey below = r.floorKey(key);
        if (below == null) {
            below = r.lastKey();
        }
        return r.get(NodeKey.compareByDistance(key, above, below) <= 0 ? above : below);
    }

    /** A static route: where each node's own next-hop choice leads. */
    public record Walk(SimHost root, int hops, double latencyMillis, boolean reachedDeadNode) {
    }

    public Walk walk(SimHost origin, NodeKey key) {
        SimHost current = origin;
        int hops = 0;
        double latency = 0;
        while (true) {
            NodeHandle next = current.node().nextHopFor(key);
            if (next.equals(current.handle())) {
                return new Walk(current, hops, latency, false);
            }
            SimHost nextHost = byAddress.get(next.address());
            hops++;
            latency += net.rttMillis(current, nextHost) / 2;
            if (!nextHost.alive() || hops > config.routing().maxHops()) {
                return new Walk(nextHost, hops, latency, true);
            }
            current = nextHost;
        }
    }

    /** Outcome of routing many keys from many origins. */
    public record RoutingReport(long routes, long correct, long deadHops, int[] hopHistogram,
                                double meanHops, int maxHops, double[] stretches) {
        public double consistency() {
            return routes == 0 ? 1 : (double) correct / routes;
        }

        public double stretchQuantile(double q) {
            if (stretches.length == 0) {
                return Double.NaN;
            }
            double[] s = stretches.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) Math.floor(q * s.length))];
        }
    }

    /** Routes {@code keys} random keys from {@code originsPerKey} random live origins (0 = every live node). */
    public RoutingReport checkRouting(int keys, int originsPerKey) {
        List<SimHost> members = live();
        int[] hist = new int[config.routing().maxHops() + 2];
        long routes = 0;
        long correct = 0;
        long dead = 0;
        long hopSum = 0;
        int max = 0;
        List<Double> stretch = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            NodeKey key = NodeKey.random(random);
            SimHost root = trueRoot(key);
            int origins = originsPerKey == 0 ? members.size() : originsPerKey;
            for (int o = 0; o < origins; o++) {
                SimHost origin = originsPerKey == 0 ? members.get(o) : members.get(random.nextInt(members.size()));
                Walk w = walk(origin, key);
                routes++;
                if (w.reachedDeadNode()) {
                    dead++;
                    continue;
                }
                if (w.root() == root) {
                    correct++;
                }
                hist[Math.min(w.hops(), hist.length - 1)]++;
                hopSum += w.hops();
                max = Math.max(max, w.hops());
                if (origin != w.root()) {
                    double direct = net.rttMillis(origin, w.root()) / 2;
                    if (direct > 0) {
                        stretch.add(w.latencyMillis() / direct);
                    }
                }
            }
        }
        double[] s = stretch.stream().mapToDouble(Double::doubleValue).toArray();
        long delivered = routes - dead;
        return new RoutingReport(routes, correct, dead, hist, delivered == 0 ? 0 : (double) hopSum / delivered, max, s);
    }

    /** Number of live nodes whose leaf set differs from the exact nearest live nodes on either side. */
    public int inexactLeafSets() {
        List<SimHost> members = live();
        NodeKey[] keys = members.stream().map(h -> h.handle().key()).sorted().toArray(NodeKey[]::new);
        Map<NodeKey, Integer> index = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            index.put(keys[i], i);
        }
        int half = config.tables().leafSetSize() / 2;
        int n = keys.length;
        int wrong = 0;
        for (SimHost h : members) {
            int i = index.get(h.handle().key());
            int expected = Math.min(half, n - 1);
            List<NodeKey> cw = new ArrayList<>();
            List<NodeKey> ccw = new ArrayList<>();
            for (int d = 1; d <= expected; d++) {
                cw.add(keys[(i + d) % n]);
                ccw.add(keys[((i - d) % n + n) % n]);
            }
            List<NodeKey> haveCw = h.node().leafSetClockwise().stream().map(NodeHandle::key).toList();
            List<NodeKey> haveCcw = h.node().leafSetCounterClockwise().stream().map(NodeHandle::key).toList();
            if (!cw.equals(haveCw) || !ccw.equals(haveCcw)) {
                wrong++;
            }
        }
        return wrong;
    }

    /** Entries pointing at dead hosts, over every live node's leaf set and routing table. */
    public int deadEntries() {
        int dead = 0;
        for (SimHost h : live()) {
            for (NodeHandle n : h.node().neighbourHandles()) {
                if (!byAddress.get(n.address()).alive()) {
                    dead++;
                }
            }
        }
        return dead;
    }

    /** Connected components of the live nodes' leaf-set graph: 1 means one overlay. */
    public int leafSetComponents() {
        List<SimHost> members = live();
        int[] parent = new int[hosts.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (SimHost h : members) {
            List<NodeHandle> leaves = new ArrayList<>(h.node().leafSetClockwise());
            leaves.addAll(h.node().leafSetCounterClockwise());
            for (NodeHandle l : leaves) {
                SimHost o = byAddress.get(l.address());
                if (o.alive()) {
                    parent[find(parent, h.id())] = find(parent, o.id());
                }
            }
        }
        return (int) members.stream().map(h -> find(parent, h.id())).distinct().count();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    // ------------------------------------------------------------------ message-level lookups

    /** Outcome of real LOOKUP messages. */
    public record LookupReport(int issued, int correct, int wrong, int failed, double meanHops) {
        public double correctness() {
            return issued == 0 ? 1 : (double) correct / issued;
        }
    }

    /** One message-level lookup: when it was issued and how it ended. */
    public record LookupOutcome(long issuedAt, Status status, int hops) {
        public enum Status { CORRECT, WRONG, FAILED }
    }

    /**
     * Sends {@code count} lookups of random keys from random live nodes, spread over
     * {@code spreadMillis}, lets them finish, and checks each answer against the true root at the
     * moment the answer arrived.
     */
    public LookupReport lookups(int count, long spreadMillis) {
        List<LookupOutcome> outcomes = timedLookups(count, spreadMillis);
        int correct = 0;
        int wrong = 0;
        int failed = 0;
        long hops = 0;
        for (LookupOutcome o : outcomes) {
            switch (o.status()) {
                case CORRECT -> correct++;
                case WRONG -> wrong++;
                default -> failed++;
            }
            if (o.status() != LookupOutcome.Status.FAILED) {
                hops += o.hops();
            }
        }
        return new LookupReport(count, correct, wrong, failed, correct + wrong == 0 ? 0 : (double) hops / (correct + wrong));
    }

    public List<LookupOutcome> timedLookups(int count, long spreadMillis) {
        List<PendingLookup> pending = issueLookups(count, spreadMillis);
        sim.runFor(config.lookups().lookupTimeoutMillis() + 1);
        return collect(pending);
    }

    /** A lookup in flight, see {@link #issueLookups}. */
    public record PendingLookup(long issuedAt, CompletableFuture<LookupOutcome> outcome) {
    }

    /** Issues lookups spread over {@code spreadMillis} (running the simulation meanwhile) without waiting for the last answers. */
    public List<PendingLookup> issueLookups(int count, long spreadMillis) {
        List<PendingLookup> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sim.runFor(spreadMillis / Math.max(1, count));
            ring = null;
            List<SimHost> members = live();
            SimHost origin = members.get(random.nextInt(members.size()));
            NodeKey key = NodeKey.random(random);
            long at = sim.now();
            CompletableFuture<LookupOutcome> f = origin.node().lookup(key).handle((r, error) -> {
                if (error != null) {
                    return new LookupOutcome(at, LookupOutcome.Status.FAILED, 0);
                }
                ring = null;
                boolean ok = r.root().key().equals(trueRoot(key).handle().key());
                return new LookupOutcome(at, ok ? LookupOutcome.Status.CORRECT : LookupOutcome.Status.WRONG, r.hops());
            });
            out.add(new PendingLookup(at, f));
        }
        return out;
    }

    /** Outcomes of issued lookups; one still unanswered counts as failed. */
    public List<LookupOutcome> collect(List<PendingLookup> pending) {
        ring = null;
        List<LookupOutcome> out = new ArrayList<>();
        for (PendingLookup p : pending) {
            out.add(p.outcome().isDone() ? p.outcome().join()
                    : new LookupOutcome(p.issuedAt(), LookupOutcome.Status.FAILED, 0));
        }
        return out;
    }
}
