package net.ctracker.partial;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import net.ctracker.announce.AnnounceRequest;
import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.announce.FailureReason;
import net.ctracker.announce.RequestObserver;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.TrustedNetworks;
import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.LocalityConfig;
import net.ctracker.locality.LocalityStats;
import net.ctracker.locality.NetworkCoordinates;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.sim.LatencyModel;
import net.ctracker.overlay.sim.SimHost;
import net.ctracker.overlay.sim.SimOverlay;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.swarm.SwarmStore;

/**
 * A simulated cluster of whole tracker nodes: the production overlay node, swarm store, partial
 * tracker and announce service on every simulated host, in virtual time. Announces and scrapes go
 * through {@link TrackerService} exactly as the HTTP front end sends them.
 */
final class SimCluster {

    final SimOverlay overlay;
    final PartialConfig config;
    final StoreLimits limits;
    final Map<SimHost, Node> nodes = new HashMap<>();
    final LocalityConfig locality;
    final LocalityStats stats = new LocalityStats();
    AltoMaps maps = AltoMaps.NONE;

    /** One simulated tracker node. */
    static final class Node {
        final SimHost host;
        final SwarmStore store;
        final TrackerCounters counters = new TrackerCounters();
        final ClusterPeers cluster;
        final NetworkCoordinates coordinates;
        final PartialTracker tracker;
        final TrackerService service;

        Node(SimHost host, SimCluster c) {
            this.host = host;
            this.store = new SwarmStore(c.limits, host, c.overlay.random().split());
            this.cluster = new ClusterPeers(c.config, c.locality, host, counters, c.overlay.random().nextLong());
            this.coordinates = new NetworkCoordinates(c.locality.dimensions(), 4096, c.overlay.random().split());
            this.tracker = new PartialTracker(host.node(), host, store, c.config,
                    new PartialTracker.StoreCaps(c.limits.maxPeers(), c.limits.maxSwarms(), c.limits.maxPeersPerSwarm()),
                    cluster, counters, c.overlay.random().split(),
                    new PartialTracker.Locality(c.locality, coordinates, () -> c.maps, c.stats));
            var reply = new AnnounceResponseWriter.ReplySettings((int) (c.config.staleTtlMillis() / 1000), 1, null, null);
            this.service = new TrackerService(store, new TrackerService.Settings(reply, 50, 200, 74, false,
                    TrustedNetworks.none()), RequestObserver.NONE, () -> host.nowMillis() * 1_000_000L);
            service.setRemotePeers(cluster);
            tracker.start();
        }
    }

    /** What one announce was answered. */
    static final class Reply {
        final List<byte[]> peers = new ArrayList<>();
        int complete = -1;
        int incomplete = -1;
        long answeredAt = -1;
        String failure;

        boolean answered() {
            return answeredAt >= 0;
        }
    }

    SimCluster(long seed, OverlayConfig overlayConfig, PartialConfig config, StoreLimits limits, LatencyModel latency) {
        this(seed, overlayConfig, config, LocalityConfig.defaults(), limits, latency);
    }

    SimCluster(long seed, OverlayConfig overlayConfig, PartialConfig config, LocalityConfig locality, StoreLimits limits,
               LatencyModel latency) {
        this.overlay = new SimOverlay(seed, overlayConfig, latency);
        this.config = config;
        this.locality = locality;
        this.limits = limits;
        overlay.onCreate(h -> nodes.put(h, new Node(h, this)));
    }

    static PartialConfig testConfig(long intervalMillis) {
        return PartialConfig.defaults(intervalMillis);
    }

    static StoreLimits limits(Duration ttl) {
        return new StoreLimits(ttl, 1_000_000, 100_000, 10_000_000);
    }

    Node node(SimHost h) {
        return nodes.get(h);
    }

    List<SimHost> live() {
        return overlay.live();
    }

    /** Starts an announce at {@code at}; the reply fills in as virtual time runs. */
    Reply announce(SimHost at, InfoHash infoHash, byte[] address, int port, byte[] peerId, long left, AnnounceEvent event,
                   int numwant) {
        Reply reply = new Reply();
        AnnounceRequest request = new AnnounceRequest(infoHash, peerId, port, 0, 0, left, event, numwant, true, false,
                null, null, null);
        Node n = nodes.get(at);
        n.service.announce(request, inet(address), new TrackerService.AnnounceOutcome() {
            @Override
            public void answered(PeerSelection peers) {
                reply.answeredAt = at.nowMillis();
                reply.complete = peers.complete();
                reply.incomplete = peers.incomplete();
                for (PeerSelection.Family f : new PeerSelection.Family[] {peers.v4(), peers.v6()}) {
                    for (int i = 0; i < f.count(); i++) {
                        reply.peers.add(java.util.Arrays.copyOfRange(f.endpoints(), i * f.endpointLength(),
                                (i + 1) * f.endpointLength()));
                    }
                }
            }

            @Override
            public void refused(FailureReason reason, String message) {
                reply.answeredAt = at.nowMillis();
                reply.failure = message;
            }
        });
        return reply;
    }

    /** A scrape at {@code at}; counts fill in as virtual time runs. */
    List<SwarmCounts> scrape(SimHost at, List<InfoHash> hashes, long[] answeredAt) {
        List<SwarmCounts> out = new ArrayList<>();
        answeredAt[0] = -1;
        nodes.get(at).service.scrape(hashes, new TrackerService.ScrapeOutcome() {
            @Override
            public void answered(List<InfoHash> asked, List<SwarmCounts> counts) {
                out.addAll(counts);
                answeredAt[0] = at.nowMillis();
            }

            @Override
            public void refused(FailureReason reason, String message) {
                answeredAt[0] = at.nowMillis();
            }
        });
        return out;
    }

    void run(long millis) {
        overlay.run(millis);
    }

    static InetAddress inet(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InfoHash hash(long n) {
        return InfoHash.of(ByteBuffer.allocate(20).putLong(n * 0x9E3779B97F4A7C15L).putLong(n).putInt((int) n).array());
    }

    static byte[] peerId(long n) {
        return ByteBuffer.allocate(20).put("-SIM000-".getBytes()).putLong(n).putInt(0).array();
    }

    static byte[] ip(int n) {
        return ByteBuffer.allocate(4).putInt(0x0a000000 | (n & 0xffffff)).array();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
