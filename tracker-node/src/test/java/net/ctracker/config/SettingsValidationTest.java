package net.ctracker.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.ctracker.TrackerNodeApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A bad setting stops start-up with a message that names it. */
class SettingsValidationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ctracker.announce.min-interval=2h          | min-interval",
            "ctracker.store.max-swarms=0                | ctracker.store.max-swarms must be at least 1",
            "ctracker.announce.numwant-default=500      | numwant-default",
            "ctracker.trusted-proxies=10.0.0.0/99       | trusted-proxies",
            "ctracker.http.max-request-line=10B         | max-request-line",
            "ctracker.http.transport=kqueue             | ctracker.http.transport",
            "ctracker.internal-port=70000               | ctracker.internal-port must be between 0 and 65535",
            "ctracker.announce.numwant-max=0            | ctracker.announce.numwant-max must be between 1 and 1000",
            "ctracker.scrape.max-hashes=0               | ctracker.scrape.max-hashes",
            "ctracker.overlay.leaf-set-size=7           | ctracker.overlay.leaf-set-size must be even",
            "ctracker.overlay.leaf-set-size=100         | ctracker.overlay.leaf-set-size must be between 2 and 64",
            "ctracker.overlay.ping-period=0s            | ctracker.overlay.ping-period must be positive",
            "ctracker.internal-address=no.such.host.invalid | ctracker.internal-address",
            "ctracker.cluster-secret-file=/no/such/file | ctracker.cluster-secret-file: cannot read /no/such/file",
            "ctracker.udp.port=70000                    | ctracker.udp.port must be between 0 and 65535",
            "ctracker.access.allow-list=/nonexistent/allow.txt | ctracker.access.allow-list",
            "ctracker.https.certificate=/tmp/cert.pem   | ctracker.https.private-key",
            "ctracker.partial.replicas=9                | ctracker.partial.replicas must be between 0 and 8",
            "ctracker.partial.stale-ttl=1s              | ctracker.partial.stale-ttl must be at least ctracker.partial.cache-ttl",
            "ctracker.partial.budget=-1ms               | ctracker.partial.budget must not be negative",
            "ctracker.partial.replicate-delay=-1s       | ctracker.partial.replicate-delay must not be negative",
            "ctracker.locality.random-share=1.5         | ctracker.locality.random-share must be between 0 and 1",
            "ctracker.locality.dimensions=0             | ctracker.locality.dimensions must be between 1 and 8",
            "ctracker.locality.alto-cost-map=/tmp/x.json | ctracker.locality.alto-cost-map needs ctracker.locality.alto-network-map",
            "ctracker.locality.alto-network-map=/no/such/map.json | ctracker.locality.alto-network-map /no/such/map.json: cannot read it (no such file)",
            "ctracker.admin.password=short              | ctracker.admin.password must be at least 8 characters",
            "ctracker.admin.username=a:b                | ctracker.admin.username must be 1..64 characters without ':'",
            "ctracker.admin.cluster.timeout=10ms        | ctracker.admin.cluster.timeout must be between 100ms and 60s",
            "ctracker.admin.cluster.max-bytes=1KB       | ctracker.admin.cluster.max-bytes must be at least 64KB",
            "ctracker.admin.cluster.max-nodes=0         | ctracker.admin.cluster.max-nodes must be between 1 and 100000",
    })
    void refusesToStart(String setting, String named) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrackerNodeApplication.class)
                .properties("server.port=0", "ctracker.internal-port=0")
                .run("--" + setting).close())
                .satisfies(e -> {
                    StringBuilder all = new StringBuilder();
                    String root = "";
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        all.append(t.getMessage()).append('\n');
                        root = String.valueOf(t.getMessage());
                    }
                    org.assertj.core.api.Assertions.assertThat(all.toString()).contains(named);
                    // the property as an operator writes it, never the Java field
                    String property = setting.substring(0, setting.indexOf('='));
                    String last = property.substring(property.lastIndexOf('.') + 1);
                    if (last.contains("-")) {
                        String camel = java.util.regex.Pattern.compile("-(\\w)").matcher(last).replaceAll(m -> m.group(1).toUpperCase());
                        org.assertj.core.api.Assertions.assertThat(root).as("the reason given").doesNotContain(camel);
                    }
                });
    }

    @Test
    void aBrokenAltoMapStopsStartUpNamingTheFileAndTheProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path map = dir.resolve("isp.json");
        java.nio.file.Files.writeString(map, "{\"network-map\": {\"pid-a\": {\"ipv4\": [\"10.0.0.1/24\"]}}}");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrackerNodeApplication.class)
                .properties("server.port=0", "ctracker.internal-port=0")
                .run("--ctracker.locality.alto-network-map=" + map).close())
                .satisfies(e -> {
                    StringBuilder all = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        all.append(t.getMessage()).append('\n');
                    }
                    org.assertj.core.api.Assertions.assertThat(all.toString())
                            .contains("ctracker.locality.alto-network-map " + map)
                            .contains("PID pid-a: \"10.0.0.1/24\" has host bits set");
                });
    }
}
