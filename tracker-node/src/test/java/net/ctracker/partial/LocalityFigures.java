package net.ctracker.partial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import net.ctracker.locality.LocalityConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The locality experiment's figures in the simulator (docs/locality.md). Off by default:
 * <pre>
 * ./mvnw -q -pl tracker-node test -Dtest=LocalityFigures -Dsim.figures=true [-Dsim.seed=N]
 * </pre>
 * The report goes to stdout and to {@code target/locality-figures.md}.
 */
@EnabledIfSystemProperty(named = "sim.figures", matches = "true")
public class LocalityFigures {

    private final StringBuilder out = new StringBuilder();
    private final long seed = Long.getLong("sim.seed", 20_260_101L);

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        out.append(s).append('\n');
        System.out.println(s);
    }

    @Test
    void figures() throws IOException {
        line("# Locality figures (seed %d)", seed);
        line("200 nodes in 5 regions (5..20 ms inside, 50..250 ms between), 6,000 peers over 30 swarms at their nearest node,");
        line("then 10 new requesters per swarm (300), numwant 50.");
        line("");
        line("| setting | CTracker median (p90) | random median (p90) | oracle median (p90) | same region: CTracker / random | coordinate error | messages per announce | busiest / mean |");
        line("|---|---|---|---|---|---|---|---|");
        long interval = 30 * 60_000;
        row("ranking, budget 100 ms (default)", PartialConfig.builder(interval).build(), LocalityConfig.defaults());
        row("ranking, budget 1 s", PartialConfig.builder(interval).budgetMillis(1_000).build(), LocalityConfig.defaults());
        row("no ranking, budget 1 s", PartialConfig.builder(interval).budgetMillis(1_000).build(), LocalityConfig.OFF);
        Path report = Path.of("target", "locality-figures.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out.toString());
    }

    private void row(String name, PartialConfig config, LocalityConfig locality) {
        LocalityExperiment.Result r = LocalityExperiment.run(seed, 200, 5, 30, 6_000, 10, 50, config, locality);
        line("| %s | %.1f ms (%.1f) | %.1f ms (%.1f) | %.1f ms (%.1f) | %.2f / %.2f | %.3f | %.2f | %.2f |", name,
                r.handedMedian(), r.handedP90(), r.randomMedian(), r.randomP90(), r.oracleMedian(), r.oracleP90(),
                r.sameRegionShare(), r.randomSameRegionShare(), r.coordinateErrorMedian(), r.messagesPerAnnounce(),
                r.busiestOverMean());
        line("|   (%d requesters, %.1f peers handed on average) | | | | | | | |", r.requesters(), r.meanHanded());
    }
}
