package net.ctracker.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import net.ctracker.announce.FailureReason;
import net.ctracker.announce.RequestObserver;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.SwarmStore;

/**
 * The tracker's Prometheus figures. Every tag is from a closed set (event, outcome, reason,
 * endpoint), never an info_hash, peer or address. Counters are created once, up front, so the
 * announce path only increments.
 */
public final class TrackerMetrics implements RequestObserver {

    /** Tag value for an announce whose event could not be read. */
    public static final String INVALID_EVENT = "invalid";

    private final Map<AnnounceEvent, Counter> announcesOk = new EnumMap<>(AnnounceEvent.class);
    private final Map<AnnounceEvent, Counter> announcesFailed = new EnumMap<>(AnnounceEvent.class);
    private final Counter announcesInvalid;
    private final Counter scrapesOk;
    private final Counter scrapesFailed;
    private final Map<FailureReason, Counter> errors = new EnumMap<>(FailureReason.class);
    private final Timer announceLatency;
    private final Timer scrapeLatency;
    private final Counter accessAllowed;
    private final Counter accessRefused;

    public TrackerMetrics(MeterRegistry registry, SwarmStore store) {
        for (AnnounceEvent e : AnnounceEvent.values()) {
            announcesOk.put(e, announces(registry, e.label(), "ok"));
            announcesFailed.put(e, announces(registry, e.label(), "error"));
        }
        announcesInvalid = announces(registry, INVALID_EVENT, "error");
        scrapesOk = Counter.builder("ctracker.scrapes").description("Scrape requests").tag("outcome", "ok").register(registry);
        scrapesFailed = Counter.builder("ctracker.scrapes").description("Scrape requests").tag("outcome", "error").register(registry);
        for (FailureReason r : FailureReason.values()) {
            errors.put(r, Counter.builder("ctracker.request.errors")
                    .description("Requests answered with a failure reason, by reason")
                    .tag("reason", r.label()).register(registry));
        }
        accessAllowed = Counter.builder("ctracker.access.checks").description("Info hashes checked against the access list, by outcome")
                .tag("outcome", "allowed").register(registry);
        accessRefused = Counter.builder("ctracker.access.checks").description("Info hashes checked against the access list, by outcome")
                .tag("outcome", "refused").register(registry);
        announceLatency = latency(registry, "announce");
        scrapeLatency = latency(registry, "scrape");
        Gauge.builder("ctracker.swarms", store, SwarmStore::swarmCount).description("Swarms held by this node").register(registry);
        Gauge.builder("ctracker.seeders", store, SwarmStore::seederCount).description("Seeders held by this node").register(registry);
        Gauge.builder("ctracker.leechers", store, SwarmStore::leecherCount).description("Leechers held by this node").register(registry);
        FunctionCounter.builder("ctracker.evictions", store, SwarmStore::evictedPeers)
                .description("Peer records evicted to stay within the memory caps").tag("kind", "peer").register(registry);
        FunctionCounter.builder("ctracker.evictions", store, SwarmStore::evictedSwarms)
                .description("Peer records evicted to stay within the memory caps").tag("kind", "swarm").register(registry);
        FunctionCounter.builder("ctracker.expired.peers", store, SwarmStore::expiredPeers)
                .description("Peer records that expired without a re-announce").register(registry);
    }

    @Override
    public void announced(AnnounceEvent event, long nanos) {
        announcesOk.get(event).increment();
        announceLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void announceFailed(AnnounceEvent eventOrNull, FailureReason reason, long nanos) {
        (eventOrNull == null ? announcesInvalid : announcesFailed.get(eventOrNull)).increment();
        errors.get(reason).increment();
        announceLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void scraped(long nanos) {
        scrapesOk.increment();
        scrapeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void scrapeFailed(FailureReason reason, long nanos) {
        scrapesFailed.increment();
        errors.get(reason).increment();
        scrapeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(FailureReason reason) {
        errors.get(reason).increment();
    }

    @Override
    public void accessChecked(boolean permitted) {
        (permitted ? accessAllowed : accessRefused).increment();
    }

    private static Counter announces(MeterRegistry registry, String event, String outcome) {
        return Counter.builder("ctracker.announces").description("Announce requests by event and outcome")
                .tag("event", event).tag("outcome", outcome).register(registry);
    }

    private static Timer latency(MeterRegistry registry, String endpoint) {
        return Timer.builder("ctracker.request.latency").description("Time to serve a public request")
                .tag("endpoint", endpoint).publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(10_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(1)).register(registry);
    }
}
