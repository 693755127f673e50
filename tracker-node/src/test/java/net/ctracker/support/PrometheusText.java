package net.ctracker.support;

import java.util.HashMap;
import java.util.Map;

/**
 * A small parser of the Prometheus text exposition format: one sample per line,
 * {@code name{label="v",...} value}. Good enough to assert on figures, strict enough to fail on a
 * malformed line.
 */
public final class PrometheusText {

    private final Map<String, Double> samples = new HashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            String series = line.substring(0, space).trim();
            p.samples.put(series, Double.parseDouble(line.substring(space + 1)));
        }
        return p;
    }

    /** The value of a series written exactly as exposed, e.g. {@code a_total{x="1"}}; null if absent. */
    public Double value(String series) {
        return samples.get(series);
    }

    public Map<String, Double> samples() {
        return samples;
    }

    /** Series whose name (before any labels) is {@code name}. */
    public Map<String, Double> named(String name) {
        Map<String, Double> out = new HashMap<>();
        samples.forEach((k, v) -> {
            if (k.equals(name) || k.startsWith(name + "{")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
