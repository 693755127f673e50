package net.ctracker.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.cluster.ClusterMessage.Neighbour;
import net.ctracker.cluster.ClusterView;
import net.ctracker.overlay.routing.NodeHandle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The whole cluster as this node gathers it over the overlay (internal port; the shapes are a
 * contract, documented in docs/admin-ui.md):
 * <ul>
 * <li>{@code GET /admin/api/cluster} -> {@code {"self", "gatheredAt", "tookMs", "complete",
 * "nodes": [{"key","url","region","joined","reachable","lastSeen","unreachableSince","leafSetSize",
 * "routingEntries","swarms","peers","leafSet","routingRows"}], "latency": [{"from","to","rttMs"}]}};</li>
 * <li>{@code GET /admin/api/swarms?limit=N} (default {@value #DEFAULT_LIMIT}, at most
 * {@value #MAX_LIMIT}) -> the largest swarms by peers with their counts, root and holders.</li>
 * </ul>
 * Bad parameters get 400 with a problem body; 503 while the node is starting, 504 when the
 * gathering did not finish in time.
 */
@RestController
@RequestMapping("/admin/api")
public class ClusterController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;

    /** Where views come from: null while the node is still being built. */
    @FunctionalInterface
    public interface Views {
        CompletableFuture<ClusterView> view(int swarmLimit);
    }

    private final Views views;
    private final Duration timeout;

    /** @param timeout the gathering's own budget; requests wait a second longer at most */
    public ClusterController(Views views, Duration timeout) {
        this.views = views;
        this.timeout = timeout;
    }

    @GetMapping({"/cluster", "/cluster/"})
    public ResponseEntity<?> cluster() throws InterruptedException {
        Object result = gather(DEFAULT_LIMIT);
        if (!(result instanceof ClusterView v)) {
            return (ResponseEntity<?>) result;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("self", v.self().toString());
        body.put("gatheredAt", Instant.ofEpochMilli(v.gatheredAtMillis()).toString());
        body.put("tookMs", v.tookMillis());
        body.put("complete", v.complete());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (ClusterView.NodeState n : v.nodes()) {
            nodes.add(node(n));
        }
        body.put("nodes", nodes);
        List<Map<String, Object>> latency = new ArrayList<>();
        for (ClusterView.Link l : v.latency()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", l.from().toString());
            m.put("to", l.to().toString());
            m.put("rttMs", Math.round(l.rttMs() * 100) / 100.0);
            latency.add(m);
        }
        body.put("latency", latency);
        return ResponseEntity.ok(body);
    }

    @GetMapping({"/swarms", "/swarms/"})
    public ResponseEntity<?> swarms(@RequestParam(name = "limit", required = false) String limit) throws InterruptedException {
        int n;
        if (limit == null) {
            n = DEFAULT_LIMIT;
        } else {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                return AdminController.problem(HttpStatus.BAD_REQUEST,
                        "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + printable(limit) + "'");
            }
            if (n < 1 || n > MAX_LIMIT) {
                return AdminController.problem(HttpStatus.BAD_REQUEST, "limit must be from 1 to " + MAX_LIMIT + ", got " + n);
            }
        }
        Object result = gather(Math.max(n, DEFAULT_LIMIT));
        if (!(result instanceof ClusterView v)) {
            return (ResponseEntity<?>) result;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("gatheredAt", Instant.ofEpochMilli(v.gatheredAtMillis()).toString());
        body.put("complete", v.complete());
        body.put("limit", n);
        List<Map<String, Object>> swarms = new ArrayList<>();
        for (ClusterView.ClusterSwarm s : v.largestSwarms(n)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("infoHash", s.infoHash().toHex());
            m.put("seeders", s.seeders());
            m.put("leechers", s.leechers());
            m.put("downloaded", s.downloaded());
            m.put("peers", s.peers());
            m.put("root", s.root() == null ? null : handle(s.root()));
            List<Map<String, Object>> holders = new ArrayList<>();
            for (ClusterView.Holder h : s.holders()) {
                Map<String, Object> hm = handle(h.node());
                hm.put("role", h.root() ? "root" : "replica");
                hm.put("seeders", h.seeders());
                hm.put("leechers", h.leechers());
                holders.add(hm);
            }
            m.put("holders", holders);
            swarms.add(m);
        }
        body.put("swarms", swarms);
        return ResponseEntity.ok(body);
    }

    /** The view, or the error response to send instead. */
    private Object gather(int swarmLimit) throws InterruptedException {
        CompletableFuture<ClusterView> f = views.view(swarmLimit);
        if (f == null) {
            return AdminController.problem(HttpStatus.SERVICE_UNAVAILABLE, "this node is still starting");
        }
        try {
            return f.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return AdminController.problem(HttpStatus.GATEWAY_TIMEOUT,
                    "the cluster view was not gathered within " + (timeout.toMillis() + 1_000) + " ms");
        } catch (ExecutionException e) {
            return AdminController.problem(HttpStatus.SERVICE_UNAVAILABLE, "the cluster view failed: " + e.getCause().getMessage());
        }
    }

    private static Map<String, Object> node(ClusterView.NodeState n) {
        Map<String, Object> m = handle(n.handle());
        Description d = n.report();
        m.put("joined", d == null ? null : d.joined());
        m.put("reachable", n.reachable());
        m.put("lastSeen", time(n.lastSeenMillis()));
        m.put("unreachableSince", n.reachable() ? null : time(n.unreachableSinceMillis()));
        m.put("leafSetSize", d == null ? null : d.leafSetSize());
        m.put("routingEntries", d == null ? null : d.routingEntries());
        m.put("swarms", d == null ? null : d.swarms());
        m.put("peers", d == null ? null : d.peers());
        m.put("leafSet", d == null ? List.of() : d.neighbours().stream().filter(Neighbour::leaf)
                .map(x -> x.handle().key().toString()).toList());
        m.put("routingRows", d == null ? List.of() : d.routingRows());
        return m;
    }

    private static Map<String, Object> handle(NodeHandle h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", h.key().toString());
        m.put("url", h.address());
        m.put("region", h.region().isEmpty() ? null : h.region());
        return m;
    }

    private static String time(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static String printable(String s) {
        String cut = s.length() > 48 ? s.substring(0, 48) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
