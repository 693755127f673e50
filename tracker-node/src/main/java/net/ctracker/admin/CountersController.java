package net.ctracker.admin;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.ctracker.time.Clock;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node's request counters since it started, for the web page's rate charts (internal port; a
 * contract): {@code GET /admin/api/counters} -> {@code {"atMillis", "uptimeSeconds", "announces",
 * "scrapes", "errors", "cpuSeconds"}}. The page samples it and divides differences by time, and
 * the process's CPU time by requests served (CPU per request beside every rate). The same counters
 * as {@code ctracker_announces_total}, {@code ctracker_scrapes_total} and
 * {@code ctracker_request_errors_total} in Prometheus, summed over their tags.
 */
@RestController
@RequestMapping("/admin/api")
public class CountersController {

    private final MeterRegistry registry;
    private final Clock clock;
    private final long startedAtMillis;

    public CountersController(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.startedAtMillis = clock.nowMillis();
    }

    @GetMapping({"/counters", "/counters/"})
    public ResponseEntity<Map<String, Object>> counters() {
        long now = clock.nowMillis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("atMillis", now);
        body.put("uptimeSeconds", (now - startedAtMillis) / 1000.0);
        body.put("announces", sum("ctracker.announces"));
        body.put("scrapes", sum("ctracker.scrapes"));
        body.put("errors", sum("ctracker.request.errors"));
        body.put("cpuSeconds", cpuSeconds());
        return ResponseEntity.ok(body);
    }

    private long sum(String name) {
        double total = 0;
        for (Counter c : registry.find(name).counters()) {
            total += c.count();
        }
        return Math.round(total);
    }

    /** CPU time of this process (user + system, every thread), or null where the JVM cannot tell. */
    private static Double cpuSeconds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long nanos = sun.getProcessCpuTime();
            return nanos < 0 ? null : nanos / 1e9;
        }
        return null;
    }
}
