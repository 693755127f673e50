package net.ctracker.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.ctracker.TrackerNodeApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A bad setting stops start-up with a message that names it. */
class SettingsValidationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ctracker.announce.min-interval=2h          | min-interval",
            "ctracker.store.max-swarms=0                | maxSwarms",
            "ctracker.announce.numwant-default=500      | numwant-default",
            "ctracker.trusted-proxies=10.0.0.0/99       | trusted-proxies",
            "ctracker.http.max-request-line=10B         | max-request-line",
            "ctracker.internal-port=70000               | internalPort",
            "ctracker.udp.port=70000                    | port",
            "ctracker.access.allow-list=/nonexistent/allow.txt | ctracker.access.allow-list",
            "ctracker.https.certificate=/tmp/cert.pem   | ctracker.https.private-key",
    })
    void refusesToStart(String setting, String named) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrackerNodeApplication.class)
                .properties("server.port=0", "ctracker.internal-port=0")
                .run("--" + setting).close())
                .satisfies(e -> {
                    StringBuilder all = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        all.append(t.getMessage()).append('\n');
                    }
                    org.assertj.core.api.Assertions.assertThat(all.toString()).contains(named);
                });
    }
}
