package net.ctracker.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.ctracker.announce.AccessListFiles;

/** Reloads of the access list files by outcome, and the entries in force; tagged by list kind only. */
public final class AccessListMetrics implements AccessListFiles.Observer {

    private final MeterRegistry registry;
    private final AtomicInteger allowEntries = new AtomicInteger();
    private final AtomicInteger denyEntries = new AtomicInteger();

    public AccessListMetrics(MeterRegistry registry, int allowSize, int denySize) {
        this.registry = registry;
        if (allowSize >= 0) {
            allowEntries.set(allowSize);
            entries("allow", allowEntries);
        }
        if (denySize >= 0) {
            denyEntries.set(denySize);
            entries("deny", denyEntries);
        }
    }

    @Override
    public void reloaded(String kind, boolean ok, int size) {
        ("allow".equals(kind) ? allowEntries : denyEntries).set(size);
        Counter.builder("ctracker.access.reloads").description("Access list file reloads by list kind and outcome")
                .tag("kind", kind).tag("outcome", ok ? "ok" : "failed").register(registry).increment();
    }

    private void entries(String kind, AtomicInteger value) {
        Gauge.builder("ctracker.access.entries", value, AtomicInteger::get)
                .description("Info hashes in the access list in force").tag("kind", kind).register(registry);
    }
}
