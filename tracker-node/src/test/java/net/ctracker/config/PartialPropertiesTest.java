package net.ctracker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import net.ctracker.partial.PartialConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** What {@code ctracker.partial.*} gives the core, bound the way Spring binds it at start-up. */
class PartialPropertiesTest {

    private static final Duration INTERVAL = Duration.ofMinutes(30);

    private static PartialConfig config(Map<String, String> properties) {
        PartialProperties p = new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("ctracker.partial", PartialProperties.class);
        return p.toConfig(INTERVAL, 0.2);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        PartialConfig c = config(Map.of());
        assertThat(c.publishDelayMillis()).isEqualTo(100);
        assertThat(c.replicateDelayMillis()).isEqualTo(1_000);
        assertThat(c.refreshPeriodMillis()).as("one interval").isEqualTo(INTERVAL.toMillis());
        assertThat(c.refreshDelayMillis()).as("a quarter of the refresh period").isEqualTo(INTERVAL.toMillis() / 4);
        assertThat(c.staleTtlMillis()).as("two intervals").isEqualTo(2 * INTERVAL.toMillis());
    }

    @Test
    void theRefreshDelayFollowsTheRefreshPeriodUnlessSet() {
        assertThat(config(Map.of("ctracker.partial.refresh-period", "10m")).refreshDelayMillis()).isEqualTo(150_000);
        assertThat(config(Map.of("ctracker.partial.refresh-delay", "5s")).refreshDelayMillis()).isEqualTo(5_000);
        assertThat(config(Map.of("ctracker.partial.replicate-delay", "250ms")).replicateDelayMillis()).isEqualTo(250);
    }
}
