package net.ctracker.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterMessage.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.swarm.InfoHash;

/**
 * One gathering of the cluster as seen from {@code self}: every node it knows of, whether it
 * answered, and what it said. Immutable; safe to read from any thread.
 *
 * @param gatheredAtMillis wall-clock time the gathering finished
 * @param tookMillis       how long it took
 * @param complete         false when a bound (nodes, bytes, time) cut it short while nodes were left to ask
 * @param swarmLimit       how many of its largest swarms each node was asked for
 */
public record ClusterView(NodeKey self, long gatheredAtMillis, long tookMillis, boolean complete, int swarmLimit,
                          List<NodeState> nodes) {

    public ClusterView {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node. {@code reachable}: it answered this gathering (or the last one that asked it).
     * Times are wall-clock milliseconds, {@code -1} for never; {@code report} is its last answer
     * (null if it never answered).
     */
    public record NodeState(NodeHandle handle, boolean reachable, long lastSeenMillis, long unreachableSinceMillis,
                            Description report) {
    }

    /** A measured round trip from one node to a neighbour of it. */
    public record Link(NodeKey from, NodeKey to, double rttMs) {
    }

    /** A swarm as the nodes that hold its full list report it. */
    public record ClusterSwarm(InfoHash infoHash, int seeders, int leechers, long downloaded, NodeHandle root,
                               List<Holder> holders) {
        public int peers() {
            return seeders + leechers;
        }
    }

    /** A node holding a swarm's full list: its root or a replica, with its counts. */
    public record Holder(NodeHandle node, boolean root, int seeders, int leechers) {
    }

    /** RTTs the reachable nodes measured to their neighbours, once per ordered pair. */
    public List<Link> latency() {
        List<Link> links = new ArrayList<>();
        for (NodeState n : nodes) {
            if (!n.reachable() || n.report() == null) {
                continue;
            }
            Set<NodeKey> seen = new HashSet<>();
            for (Neighbour nb : n.report().neighbours()) {
                if (nb.rttMs() >= 0 && seen.add(nb.handle().key())) {
                    links.add(new Link(n.handle().key(), nb.handle().key(), nb.rttMs()));
                }
            }
        }
        return links;
    }

    /**
     * The {@code limit} largest swarms (by peers) of the reachable nodes' reports, largest first.
     * A swarm's counts are its root's; while no reachable node says it is the root (a root just
     * failed or handed over), those of its fullest replica, and {@code root} is null. Exact for
     * every limit up to {@link #swarmLimit()}: a swarm left out of a holder's report is smaller
     * than that many others.
     */
    public List<ClusterSwarm> largestSwarms(int limit) {
        Map<InfoHash, List<Holder>> holders = new LinkedHashMap<>();
        Map<InfoHash, Best> best = new LinkedHashMap<>();
        for (NodeState n : nodes) {
            if (!n.reachable() || n.report() == null) {
                continue;
            }
            for (HeldList h : n.report().largestSwarms()) {
                holders.computeIfAbsent(h.infoHash(), k -> new ArrayList<>())
                        .add(new Holder(n.handle(), h.root(), h.seeders(), h.leechers()));
                Best b = best.get(h.infoHash());
                if (b == null || better(h, b.list())) {
                    best.put(h.infoHash(), new Best(h, n.handle()));
                }
            }
        }
        List<ClusterSwarm> out = new ArrayList<>(best.size());
        for (Map.Entry<InfoHash, Best> e : best.entrySet()) {
            List<Holder> hs = holders.get(e.getKey());
            hs.sort(Comparator.comparing((Holder h) -> !h.root()).thenComparing(h -> h.node().key()));
            HeldList b = e.getValue().list();
            NodeHandle root = b.root() ? e.getValue().node() : null;
            out.add(new ClusterSwarm(e.getKey(), b.seeders(), b.leechers(), b.downloaded(), root, List.copyOf(hs)));
        }
        out.sort(Comparator.comparingInt((ClusterSwarm s) -> -s.peers()).thenComparing(ClusterSwarm::infoHash));
        return out.subList(0, Math.min(Math.max(limit, 0), out.size()));
    }

    private record Best(HeldList list, NodeHandle node) {
    }

    /** A root's report beats a replica's; between equals, the fuller list. */
    private static boolean better(HeldList a, HeldList b) {
        if (a.root() != b.root()) {
            return a.root();
        }
        return a.peers() > b.peers();
    }
}
