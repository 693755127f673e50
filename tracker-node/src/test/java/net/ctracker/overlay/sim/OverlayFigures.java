package net.ctracker.overlay.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import net.ctracker.overlay.OverlayConfig;

/**
 * Produces the figures of {@code docs/overlay.md}. Off by default (it runs for many minutes):
 * <pre>
 * ./mvnw -q -pl tracker-node test -Dtest=OverlayFigures -Dsim.figures=true \
 *     [-Dsim.figures.sections=hops,failures,churn,maintenance] [-Dsim.figures.maxN=10000] [-Dsim.seed=N]
 *     [-Dsim.figures.minN=0] [-Dsim.figures.pns=both|on|off] [-Dsim.figures.settleMillis=...]
 *     [-Dsim.figures.sizes=100,1000,10000] [-Dsim.figures.spacingMillis=50]
 * </pre>
 * or, without holding the Maven lock for the whole run, after {@code test-compile}:
 * <pre>
 * java -Xmx8g -cp tracker-node/target/test-classes:tracker-node/target/classes:$(cat cp.txt) \
 *     net.ctracker.overlay.sim.OverlayFigures
 * </pre>
 * The report goes to stdout and to {@code target/overlay-figures.md} (relative to the working directory).
 */
@EnabledIfSystemProperty(named = "sim.figures", matches = "true")
public class OverlayFigures {

    private static final OverlayConfig DEFAULTS = OverlayConfig.builder().snapshotPeriodMillis(0).build();
    /** The brief's timers taken literally: every leaf and table entry pinged every 20 s, no notices, no back-off. */
    private static final OverlayConfig BRIEF = DEFAULTS.toBuilder()
            .watchedLeaves(DEFAULTS.tables().leafSetSize() / 2).tablePingPeriodMillis(20_000).obituarySends(0)
            .rowExchangeMaxBackoff(1).build();

    private final StringBuilder out = new StringBuilder();
    private final long seed = Long.getLong("sim.seed", 20_260_101L);
    private final Set<String> sections = Set.of(System.getProperty("sim.figures.sections",
            "hops,failures,churn,maintenance").split(","));
    private final int maxN = Integer.getInteger("sim.figures.maxN", 10_000);
    private final int minN = Integer.getInteger("sim.figures.minN", 0);
    private final String pnsModes = System.getProperty("sim.figures.pns", "both");

    static LatencyModel regions() {
        return LatencyModel.plane(5, 0.05, 2, 200);
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        out.append(s).append('\n');
        System.out.println(s);
    }

    public static void main(String[] args) throws IOException {
        new OverlayFigures().figures();
    }

    @Test
    void figures() throws IOException {
        long t0 = System.nanoTime();
        line("# Overlay figures (seed %d)", seed);
        line("");
        line("Latency model: 5 regions on a unit plane (Gaussian spread 0.05), RTT = 2 ms + 200 ms x distance.");
        line("Defaults: leaf set 16, 3 entries a cell, ping 20 s, leaf exchange 60 s, row exchange 60 s.");
        if (sections.contains("hops")) {
            hops();
        }
        if (sections.contains("failures")) {
            failures();
        }
        if (sections.contains("churn")) {
            churn();
        }
        if (sections.contains("maintenance")) {
            maintenance();
        }
        line("");
        line("Wall time: %.0f s", (System.nanoTime() - t0) / 1e9);
        Path target = Path.of("target", "overlay-figures.md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, out.toString());
    }

    /** Builds an overlay: one node at a time up to 1,000, then joins spaced 50 ms, then settles. */
    private SimOverlay build(int n, OverlayConfig config) {
        SimOverlay overlay = new SimOverlay(seed + n, config, regions());
        if (n <= 1_000) {
            overlay.joinOneAtATime(n, 300);
        } else {
            overlay.joinOneAtATime(1_000, 300);
            overlay.joinSpaced(n - 1_000, Long.getLong("sim.figures.spacingMillis", 50));
        }
        overlay.run(Long.getLong("sim.figures.settleMillis", 2 * config.routeSets().rowExchangePeriodMillis()));
        return overlay;
    }

    private void hops() {
        line("");
        line("## Hop counts and route stretch");
        line("");
        line("Static routes of 2,000 random keys from 5 random origins each (10,000 routes), after the");
        line("overlay settled for two row-exchange periods. Stretch = route latency / direct latency.");
        line("");
        line("| N | PNS | consistency | mean hops | max | hop distribution (0,1,2,...) | stretch p50 | p90 | build s |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (int n : Arrays.stream(System.getProperty("sim.figures.sizes", "100,1000,10000").split(","))
                .mapToInt(Integer::parseInt).toArray()) {
            if (n > maxN || n < minN) {
                continue;
            }
            for (boolean pns : new boolean[] {true, false}) {
                if (!pnsModes.equals("both") && pns != pnsModes.equals("on")) {
                    continue;
                }
                long t = System.nanoTime();
                SimOverlay overlay = build(n, DEFAULTS.toBuilder().proximity(pns).build());
                double buildS = (System.nanoTime() - t) / 1e9;
                SimOverlay.RoutingReport r = overlay.checkRouting(2_000, 5);
                int last = r.hopHistogram().length - 1;
                while (last > 0 && r.hopHistogram()[last] == 0) {
                    last--;
                }
                line("| %,d | %s | %.4f | %.2f | %d | %s | %.2f | %.2f | %.0f |", n, pns ? "on" : "off", r.consistency(),
                        r.meanHops(), r.maxHops(), Arrays.toString(Arrays.copyOf(r.hopHistogram(), last + 1)),
                        r.stretchQuantile(0.5), r.stretchQuantile(0.9), buildS);
            }
        }
    }

    private void failures() {
        line("");
        line("## Recovery after a mass failure (N = 1,000)");
        line("");
        line("A fraction of the nodes is killed at once. Every 5 s: static routes of 100 keys from 20 origins");
        line("(a route that meets a dead node counts as inconsistent) and a scan of all tables for dead entries.");
        line("Lookups: 20 a second from random live nodes, over the real message path, for 120 s.");
        line("");
        line("| killed | routes consistent at 5 s | 100%% consistent after | no dead entries after | exact leaf sets after "
                + "| lookups correct 0-20 s | 20-40 s | 40-60 s | 60-120 s | lookups failed (timeout) |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        for (double fraction : new double[] {0.10, 0.20, 0.30}) {
            SimOverlay overlay = build(1_000, DEFAULTS);
            overlay.killFraction(fraction);
            long start = overlay.sim().now();
            long consistentAt = -1;
            long cleanAt = -1;
            long exactAt = -1;
            double firstConsistency = -1;
            List<SimOverlay.PendingLookup> pending = new java.util.ArrayList<>();
            for (int step = 1; step <= 24; step++) {
                pending.addAll(overlay.issueLookups(100, 5_000));
                long elapsed = overlay.sim().now() - start;
                SimOverlay.RoutingReport r = overlay.checkRouting(100, 20);
                if (firstConsistency < 0) {
                    firstConsistency = r.consistency();
                }
                if (consistentAt < 0 && r.consistency() == 1.0) {
                    consistentAt = elapsed;
                }
                if (cleanAt < 0 && overlay.deadEntries() == 0) {
                    cleanAt = elapsed;
                }
                if (exactAt < 0 && overlay.inexactLeafSets() == 0) {
                    exactAt = elapsed;
                }
            }
            overlay.run(DEFAULTS.lookups().lookupTimeoutMillis() + 1);
            List<SimOverlay.LookupOutcome> outcomes = overlay.collect(pending);
            line("| %.0f%% | %.4f | %s | %s | %s | %s | %s | %s | %s | %d |", fraction * 100, firstConsistency,
                    seconds(consistentAt), seconds(cleanAt), seconds(exactAt),
                    window(outcomes, start, 0, 20_000), window(outcomes, start, 20_000, 40_000),
                    window(outcomes, start, 40_000, 60_000), window(outcomes, start, 60_000, 120_000),
                    outcomes.stream().filter(o -> o.status() == SimOverlay.LookupOutcome.Status.FAILED).count());
        }
        line("");
        line("(Times are at the 5 s sampling granularity: \"5 s\" means by the first sample.)");
    }

    private static String seconds(long millis) {
        return millis < 0 ? "not within 120 s" : String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }

    private static String window(List<SimOverlay.LookupOutcome> outcomes, long start, long from, long to) {
        long n = 0;
        long ok = 0;
        for (SimOverlay.LookupOutcome o : outcomes) {
            long t = o.issuedAt() - start;
            if (t >= from && t < to) {
                n++;
                if (o.status() == SimOverlay.LookupOutcome.Status.CORRECT) {
                    ok++;
                }
            }
        }
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.2f%% of %d", 100.0 * ok / n, n);
    }

    private void churn() {
        line("");
        line("## Lookups under churn (N = 1,000 steady state)");
        line("");
        line("Session times are exponential with the given median; every departure is a crash (no leave");
        line("message) and is replaced by a new node joining through a random live member. After 10 minutes");
        line("of churn, 3,000 lookups are issued over 10 minutes from random live nodes. Correct = the answer");
        line("names the live node numerically closest to the key when the answer arrives. Messages: all");
        line("overlay messages (joins, maintenance, notices, lookups) per live node per minute over those 20 minutes.");
        line("");
        line("| median session | departures/min | lookups correct | wrong root | failed (timeout) | mean hops | messages/node/min |");
        line("|---|---|---|---|---|---|---|");
        for (int medianMinutes : new int[] {60, 10, 2}) {
            SimOverlay overlay = build(1_000, DEFAULTS);
            long medianMillis = medianMinutes * 60_000L;
            SplittableRandom random = overlay.random().split();
            long[] departures = new long[1];
            for (SimHost h : overlay.live()) {
                scheduleDeparture(overlay, h, medianMillis, random, departures);
            }
            long churnStart = overlay.sim().now();
            long messagesBefore = overlay.network().messages();
            overlay.run(10 * 60_000);
            SimOverlay.LookupReport r = overlay.lookups(3_000, 10 * 60_000);
            double minutes = (overlay.sim().now() - churnStart) / 60_000.0;
            double messages = (overlay.network().messages() - messagesBefore) / (double) overlay.live().size() / minutes;
            line("| %d min | %.1f | %.2f%% | %d | %d | %.2f | %.1f |", medianMinutes, departures[0] / minutes,
                    100 * r.correctness(), r.wrong(), r.failed(), r.meanHops(), messages);
        }
    }

    private static void scheduleDeparture(SimOverlay overlay, SimHost h, long medianMillis, SplittableRandom random,
                                          long[] departures) {
        double mean = medianMillis / Math.log(2);
        long session = (long) (-mean * Math.log(1 - random.nextDouble()));
        overlay.sim().after(session, h, () -> {
            h.kill();
            departures[0]++;
            SimHost replacement = overlay.addNode();
            scheduleDeparture(overlay, replacement, medianMillis, random, departures);
        });
    }

    private void maintenance() {
        line("");
        line("## Maintenance traffic (N = 1,000, no lookups, no churn)");
        line("");
        line("Messages and encoded bytes (MessageCodec body, without HTTP headers or acknowledgements) sent");
        line("per node per minute over 5 minutes after the overlay settled.");
        line("");
        line("| profile | messages/node/min | bytes/node/min | by type | 10%% killed: 100%% consistent after |");
        line("|---|---|---|---|---|");
        for (Map.Entry<String, OverlayConfig> profile : Map.of(
                "default (nearest 2 leaves a side 20 s, others 300 s, notices on PINGs, leaf exchange 60 s, row exchange 60 s with back-off)", DEFAULTS,
                "brief literal (every leaf and table entry 20 s, leaf exchange 60 s, row exchange 60 s)", BRIEF).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            SimOverlay overlay = build(1_000, profile.getValue());
            overlay.run(60_000);
            Map<String, Long> before = sentByType(overlay);
            overlay.network().resetCounts();
            overlay.network().codecCheck(true);
            overlay.run(5 * 60_000);
            Map<String, Long> after = sentByType(overlay);
            int n = overlay.live().size();
            StringBuilder types = new StringBuilder();
            after.forEach((type, count) -> {
                double perMin = (count - before.getOrDefault(type, 0L)) / (double) n / 5;
                if (perMin >= 0.05) {
                    types.append(String.format(Locale.ROOT, "%s %.1f, ", type, perMin));
                }
            });
            double messages = overlay.network().messages() / (double) n / 5;
            double bytes = overlay.network().bytes() / (double) n / 5;
            overlay.network().codecCheck(false);
            overlay.killFraction(0.10);
            long start = overlay.sim().now();
            long consistentAt = -1;
            while (overlay.sim().now() - start < 600_000) {
                overlay.run(5_000);
                if (overlay.checkRouting(100, 20).consistency() == 1.0 && overlay.deadEntries() == 0) {
                    consistentAt = overlay.sim().now() - start;
                    break;
                }
            }
            line("| %s | %.1f | %,.0f | %s | %s |", profile.getKey(), messages, bytes,
                    types.length() > 2 ? types.substring(0, types.length() - 2) : "", consistentAt < 0 ? "> 600 s"
                            : String.format(Locale.ROOT, "%.0f s (and no dead entries)", consistentAt / 1000.0));
        }
    }

    private static Map<String, Long> sentByType(SimOverlay overlay) {
        Map<String, Long> total = new TreeMap<>();
        for (SimHost h : overlay.live()) {
            h.node().snapshotNow().counters().sent().forEach((k, v) -> total.merge(k, v, Long::sum));
        }
        return total;
    }
}
