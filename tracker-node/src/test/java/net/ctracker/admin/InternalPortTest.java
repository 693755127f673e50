package net.ctracker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
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

/** The internal port binds where ctracker.internal-address says, and its admin paths take a trailing slash. */
class InternalPortTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theInternalPortListensOnlyOnTheConfiguredAddress() throws Exception {
        // 127.0.0.2 is a loopback address on Linux, but not the one 127.0.0.1 connects to
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(
                "--server.port=0", "--ctracker.internal-port=0", "--ctracker.internal-address=127.0.0.2",
                "--ctracker.advertised-url=http://127.0.0.2:1")) {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> get("http://127.0.0.2:" + port + "/actuator/health/readiness").statusCode() == 200);
            assertThatThrownBy(() -> get("http://127.0.0.1:" + port + "/actuator/health"))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void adminPathsAnswerWithATrailingSlashAndHealthCountsLeavesOnce() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(
                "--server.port=0", "--ctracker.internal-port=0")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/actuator/health/readiness").statusCode() == 200);
            HttpResponse<String> node = get(base + "/admin/api/node/");
            assertThat(node.statusCode()).isEqualTo(200);
            assertThat(node.body()).contains("\"joined\":true");
            assertThat(get(base + "/admin/api/route/?key=" + "ab".repeat(20)).statusCode()).isEqualTo(200);
            assertThat(get(base + "/actuator/health").body()).contains("\"leafSet\":0");
        }
    }
}
