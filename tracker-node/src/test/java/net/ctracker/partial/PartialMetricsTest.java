package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import net.ctracker.metrics.PartialMetrics;
import net.ctracker.support.PrometheusText;
import org.junit.jupiter.api.Test;

/** The partial trackers' counters as Prometheus exposes them, read back by parsing the exposition. */
class PartialMetricsTest {

    @Test
    void renewalsAndLookupsAreExposedByOutcome() {
        TrackerCounters counters = new TrackerCounters();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PartialMetrics(counters, () -> null).bindTo(registry);
        counters.renewals(TrackerCounters.Renewal.SENT, 5);
        counters.renewals(TrackerCounters.Renewal.RODE, 2);
        counters.renewals(TrackerCounters.Renewal.DROPPED, 1);
        counters.lookup(TrackerCounters.Lookup.STALE);

        PrometheusText m = PrometheusText.parse(registry.scrape());
        assertThat(m.value("ctracker_partial_renewals_total{outcome=\"sent\"}")).isEqualTo(5.0);
        assertThat(m.value("ctracker_partial_renewals_total{outcome=\"rode\"}")).isEqualTo(2.0);
        assertThat(m.value("ctracker_partial_renewals_total{outcome=\"dropped\"}")).isEqualTo(1.0);
        assertThat(m.value("ctracker_partial_lookups_total{outcome=\"stale\"}")).isEqualTo(1.0);
        assertThat(m.value("ctracker_partial_held_swarms")).as("no tracker yet").isEqualTo(0.0);
    }
}
