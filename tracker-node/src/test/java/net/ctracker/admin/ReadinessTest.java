package net.ctracker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import net.ctracker.TrackerNodeApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node is ready only once it has joined: one told to join through a seed that does not answer
 * stays out of service (and never forms an overlay of its own), while staying alive.
 */
class ReadinessTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNodeWhoseSeedIsDownIsAliveButNotReady() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(
                "--server.port=0", "--ctracker.internal-port=0", "--ctracker.cluster-secret=readiness-test-secret-1",
                // port 9 on loopback: nobody listens. This node's own URL sorts before the seed's, which
                // must not let it form an overlay of its own: only a node listed in the bootstrap may
                "--ctracker.bootstrap=http://127.0.0.1:9", "--ctracker.overlay.join-retry=200ms")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
            // several join attempts fail meanwhile; none of them may make the node ready
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base + "/actuator/health/readiness").statusCode() == 503
                            && get(base + "/actuator/health/liveness").statusCode() == 200);
            assertThat(get(base + "/admin/api/node").body()).contains("\"joined\":false");
            HttpResponse<String> route = get(base + "/admin/api/route?key=" + "ab".repeat(20));
            assertThat(route.statusCode()).isEqualTo(503);
            assertThat(route.body()).contains("not joined");
        }
    }

    @Test
    void aLoneFirstNodeIsReady() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(
                "--server.port=0", "--ctracker.internal-port=0")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/actuator/health/readiness").statusCode() == 200);
            assertThat(get(base + "/actuator/health").body()).contains("\"overlay\"").contains("\"joined\":true");
        }
    }
}
