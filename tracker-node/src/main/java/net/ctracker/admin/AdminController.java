package net.ctracker.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.ctracker.overlay.LookupResult;
import net.ctracker.overlay.NodeSnapshot;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.locality.Coordinate;
import net.ctracker.overlay.LocalNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read-only JSON views of this node for operators and the web page (internal port only). The
 * shapes are a contract: {@code /admin/api/node} and {@code /admin/api/route}. Bad input gets a 4xx
 * with a problem body.
 */
@RestController
@RequestMapping("/admin/api")
public class AdminController {

    private final LocalNode local;
    /**
     * The node fails a lookup itself after the route timeout; this request waits that long and this
     * much more, so that the node's own answer (a 504 or 503 with its reason) normally wins.
     */
    static final Duration LOOKUP_WAIT_MARGIN = Duration.ofSeconds(1);

    private final Duration routeTimeout;

    private final java.util.function.Supplier<Coordinate> coordinate;

    public AdminController(LocalNode local, Duration routeTimeout, java.util.function.Supplier<Coordinate> coordinate) {
        this.local = local;
        this.routeTimeout = routeTimeout;
        this.coordinate = coordinate;
    }

    @GetMapping({"/node", "/node/"})
    public ResponseEntity<?> node() {
        OverlayNode node = local.node();
        if (node == null) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "this node is still starting");
        }
        NodeSnapshot s = node.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", s.key().toString());
        body.put("region", s.region());
        body.put("url", s.address());
        body.put("joined", s.joined());
        // a member of a small overlay can sit on both sides of the leaf set: list it once
        java.util.Set<NodeKey> listed = new java.util.HashSet<>();
        body.put("leafSet", s.leafSet().stream().filter(l -> listed.add(l.key())).map(l -> entry(
                "key", l.key().toString(), "url", l.address(), "region", l.region(), "rttMs", rtt(l.rttMs()))).toList());
        body.put("routingTable", s.routingTable().stream().map(t -> entry(
                "row", t.row(), "col", t.col(), "key", t.key().toString(), "url", t.address(), "rttMs", rtt(t.rttMs()))).toList());
        body.put("coordinate", coordinateJson(coordinate.get()));
        return ResponseEntity.ok(body);
    }

    @GetMapping({"/route", "/route/"})
    public ResponseEntity<?> route(@RequestParam(name = "key", required = false) String key) throws InterruptedException {
        if (key == null || key.isBlank()) {
            return problem(HttpStatus.BAD_REQUEST, "give the key to route as ?key=<40 hex digits>");
        }
        NodeKey target;
        try {
            target = NodeKey.parse(key.trim());
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, "key must be 40 hex digits, got '" + printable(key) + "'");
        }
        OverlayNode node = local.node();
        if (node == null || !node.snapshot().joined()) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "this node has not joined the overlay yet");
        }
        LookupResult result;
        try {
            // the node times the lookup out itself after the same route timeout; this wait is a safety net
            result = node.lookup(target).get(routeTimeout.plus(LOOKUP_WAIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return problem(HttpStatus.GATEWAY_TIMEOUT, "the lookup got no answer within " + routeTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException
                    ? problem(HttpStatus.GATEWAY_TIMEOUT, "the lookup got no answer within " + routeTimeout.toMillis() + " ms")
                    : problem(HttpStatus.SERVICE_UNAVAILABLE, "the lookup failed: " + e.getCause().getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("root", entry("key", result.root().key().toString(), "url", result.root().address()));
        body.put("hops", result.hops());
        body.put("path", result.path().stream().map(NodeKey::toString).toList());
        return ResponseEntity.ok(body);
    }

    /** {@code {"vector": [..], "height": ms, "error": e}}, or null while the node has no coordinate yet. */
    static Map<String, Object> coordinateJson(Coordinate c) {
        if (c == null || !c.known()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        java.util.List<Double> v = new java.util.ArrayList<>();
        for (int i = 0; i < c.dimensions(); i++) {
            v.add(Math.round(c.component(i) * 1000) / 1000.0);
        }
        m.put("vector", v);
        m.put("height", Math.round(c.height() * 1000) / 1000.0);
        m.put("error", Math.round(c.error() * 10000) / 10000.0);
        return m;
    }

    private static Object rtt(double ms) {
        return ms < 0 ? null : Math.round(ms * 100) / 100.0;
    }

    private static Map<String, Object> entry(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String printable(String s) {
        String cut = s.length() > 48 ? s.substring(0, 48) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }

}
