package net.ctracker.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import net.ctracker.locality.Coordinate;
import net.ctracker.locality.LocalityStats;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The locality figures of this node (internal port, a contract): {@code GET /admin/api/locality} ->
 * {@code {"answers", "sameRegionShare", "medianRttMs": {"handed", "random"}, "ranking", "coordinate",
 * "altoMaps"}}: over the most recent measured answers (one in eight is measured), the share of
 * handed-out peers from the requester's region and the median RTT predicted between this node and
 * the nodes the handed-out peers announced at, beside a random choice of as many; numbers are null
 * until measured.
 */
@RestController
@RequestMapping("/admin/api")
public class LocalityController {

    private final LocalityStats stats;
    private final Supplier<Coordinate> coordinate;
    private final boolean ranking;
    private final Supplier<String> maps;

    public LocalityController(LocalityStats stats, Supplier<Coordinate> coordinate, boolean ranking, Supplier<String> maps) {
        this.stats = stats;
        this.coordinate = coordinate;
        this.ranking = ranking;
        this.maps = maps;
    }

    @GetMapping({"/locality", "/locality/"})
    public ResponseEntity<?> locality() {
        LocalityStats.Snapshot s = stats.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("answers", s.answers());
        body.put("sameRegionShare", number(s.sameRegionShare(), 10_000));
        Map<String, Object> rtt = new LinkedHashMap<>();
        rtt.put("handed", number(s.medianHandedRttMillis(), 100));
        rtt.put("random", number(s.medianRandomRttMillis(), 100));
        body.put("medianRttMs", rtt);
        body.put("ranking", ranking);
        body.put("coordinate", AdminController.coordinateJson(coordinate.get()));
        body.put("altoMaps", maps.get());
        return ResponseEntity.ok(body);
    }

    private static Double number(double v, int scale) {
        return Double.isNaN(v) ? null : Math.round(v * scale) / (double) scale;
    }
}
