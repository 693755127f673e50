package net.ctracker.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.partial.PartialTracker;
import net.ctracker.partial.SwarmView;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.swarm.SwarmStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cluster's view of one swarm (internal port, a contract):
 * {@code GET /admin/api/swarm?info_hash=<40 hex>} ->
 * {@code {"infoHash", "root": {"key","url"}, "seeders", "leechers", "downloaded",
 * "holders": [{"key","url","region","role","seeders","leechers"}]}}, {@code role} one of
 * {@code root}, {@code replica}, {@code path}, {@code local} (the nodes its peers announced at).
 * 400 for a bad hash, 404 for a swarm nobody holds, 503 when the swarm's root cannot be asked.
 */
@RestController
@RequestMapping("/admin/api")
public class SwarmController {

    private final Supplier<PartialTracker> tracker;
    private final SwarmStore store;
    private final Supplier<NodeHandle> self;
    private final Duration timeout;

    public SwarmController(Supplier<PartialTracker> tracker, SwarmStore store, Supplier<NodeHandle> self, Duration timeout) {
        this.tracker = tracker;
        this.store = store;
        this.self = self;
        this.timeout = timeout;
    }

    @GetMapping({"/swarm", "/swarm/"})
    public ResponseEntity<?> swarm(@RequestParam(name = "info_hash", required = false) String infoHash) throws InterruptedException {
        if (infoHash == null || !infoHash.trim().matches("[0-9a-fA-F]{40}")) {
            return problem(HttpStatus.BAD_REQUEST, "give the swarm as ?info_hash=<40 hex digits>");
        }
        InfoHash h = InfoHash.of(HexFormat.of().parseHex(infoHash.trim()));
        SwarmCounts mine = store.scrape(h);
        PartialTracker t = tracker.get();
        NodeHandle me = self.get();
        if (t == null || me == null) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "this node has not joined the overlay yet");
        }
        SwarmView view;
        try {
            view = t.inspect(h, timeout.toMillis()).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "the swarm's holders did not answer within " + timeout.toMillis() + " ms");
        }
        List<Map<String, Object>> holders = new ArrayList<>();
        boolean anyPeers = mine.complete() + mine.incomplete() > 0;
        for (SwarmView.Holder holder : view.holders()) {
            holders.add(holder(holder.node(), holder.role().name().toLowerCase(Locale.ROOT), holder.seeders(), holder.leechers()));
            anyPeers |= holder.seeders() + holder.leechers() > 0;
        }
        boolean selfListed = false;
        for (SwarmView.LocalCount c : view.announcedAt()) {
            SwarmCounts counts = c.node().key().equals(me.key()) ? mine : new SwarmCounts(c.seeders(), c.leechers(), 0);
            selfListed |= c.node().key().equals(me.key());
            holders.add(holder(c.node(), "local", counts.complete(), counts.incomplete()));
            anyPeers |= c.seeders() + c.leechers() > 0;
        }
        if (!selfListed && mine.complete() + mine.incomplete() > 0) {
            holders.add(holder(me, "local", mine.complete(), mine.incomplete()));
        }
        if (view.root() == null) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "the swarm's root did not answer within " + timeout.toMillis() + " ms");
        }
        if (!anyPeers) {
            return problem(HttpStatus.NOT_FOUND, "no node holds swarm " + h.toHex());
        }
        SwarmView.Holder root = view.root();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("infoHash", h.toHex());
        body.put("root", Map.of("key", root.node().key().toString(), "url", root.node().address()));
        // the root's full list holds every peer that reached it; this node's own may be newer
        int[] fromMe = fromNode(view, me);
        body.put("seeders", root.seeders() - fromMe[0] + mine.complete());
        body.put("leechers", root.leechers() - fromMe[1] + mine.incomplete());
        body.put("downloaded", Math.max(root.downloaded(), mine.downloaded()));
        body.put("holders", holders);
        // what this node's cache holds of the swarm (its sample of peers announced elsewhere)
        net.ctracker.partial.ClusterPeers.CacheView cache = t.cluster().cached(h);
        body.put("cache", cache == null ? null : Map.of("peers", cache.peers(), "ageMs", cache.ageMillis(), "counts", cache.counts()));
        return ResponseEntity.ok(body);
    }

    private static int[] fromNode(SwarmView view, NodeHandle node) {
        for (SwarmView.LocalCount c : view.announcedAt()) {
            if (c.node().key().equals(node.key())) {
                return new int[] {c.seeders(), c.leechers()};
            }
        }
        return new int[2];
    }

    private static Map<String, Object> holder(NodeHandle node, String role, int seeders, int leechers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", node.key().toString());
        m.put("url", node.address());
        m.put("region", node.region());
        m.put("role", role);
        m.put("seeders", seeders);
        m.put("leechers", leechers);
        return m;
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }

}
