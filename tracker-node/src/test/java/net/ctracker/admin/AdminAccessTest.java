package net.ctracker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.config.PublicServerLifecycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.ObjectMapper;

/**
 * Who reaches the operator's page: with {@code ctracker.admin.password} set, the page and the admin
 * API ask for the credential while health, Prometheus and overlay messages stay as they were; the
 * public port serves none of it, credential or not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAccessTest {

    private static final String USER = "ops";
    private static final String PASSWORD = "admin-access-test-password";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private ConfigurableApplicationContext node;
    private String internal;
    private String publicPort;

    @BeforeAll
    void start() {
        node = new SpringApplicationBuilder(TrackerNodeApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--ctracker.internal-port=0", "--ctracker.admin.username=" + USER, "--ctracker.admin.password=" + PASSWORD,
                "--spring.main.banner-mode=off");
        internal = "http://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort();
        publicPort = "http://127.0.0.1:" + node.getBean(PublicServerLifecycle.class).port();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(internal + "/actuator/health/readiness", null).statusCode() == 200);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePageAndTheAdminApiAskForTheCredential() throws Exception {
        for (String path : List.of("/admin", "/admin/", "/admin/index.html", "/admin/js/main.js", "/admin/api/node",
                "/admin/api/cluster", "/admin/api/swarms", "/admin/api/counters", "/admin/api/locality",
                "/admin/api/route?key=" + "ab".repeat(20))) {
            for (String auth : new String[] {null, basic(USER, "wrong-password-here"), basic("root", PASSWORD), "Bearer " + PASSWORD}) {
                HttpResponse<String> r = get(internal + path, auth);
                assertThat(r.statusCode()).as("%s with %s", path, auth).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
                assertThat(json.readTree(r.body()).path("detail").asString()).contains("ctracker.admin.username");
            }
        }
        HttpResponse<String> page = get(internal + "/admin/", basic(USER, PASSWORD));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>CTracker overlay</title>").contains("js/main.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'"));
        HttpResponse<String> redirect = get(internal + "/admin", basic(USER, PASSWORD));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/admin/"));
        assertThat(get(internal + "/admin/js/main.js", basic(USER, PASSWORD)).headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        HttpResponse<String> api = get(internal + "/admin/api/node", basic(USER, PASSWORD));
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(json.readTree(api.body()).path("joined").asBoolean()).isTrue();
        HttpResponse<String> cluster = get(internal + "/admin/api/cluster", basic(USER, PASSWORD));
        assertThat(cluster.statusCode()).isEqualTo(200);
        assertThat(json.readTree(cluster.body()).path("nodes")).as("a lone node sees itself").hasSize(1);
    }

    @Test
    void healthPrometheusAndOverlayMessagesStayAsTheyWere() throws Exception {
        assertThat(get(internal + "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get(internal + "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> prometheus = get(internal + "/actuator/prometheus", null);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("ctracker_announces_total");
        // an unsigned overlay message is refused by the overlay's own check, not by the admin credential
        HttpResponse<String> overlay = http.send(HttpRequest.newBuilder(URI.create(internal + "/overlay/v1/message"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(overlay.statusCode()).isEqualTo(401);
        assertThat(overlay.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(overlay.body()).contains("X-CTracker-Timestamp");
    }

    @Test
    void thePublicPortServesNoneOfIt() throws Exception {
        for (String path : List.of("/admin", "/admin/", "/admin/index.html", "/admin/js/main.js", "/admin/api/node",
                "/admin/api/cluster", "/admin/api/swarms", "/admin/api/counters", "/admin/api/locality",
                "/META-INF/resources/admin/index.html")) {
            for (String auth : new String[] {null, basic(USER, PASSWORD)}) {
                HttpResponse<String> r = get(publicPort + path, auth);
                assertThat(r.statusCode()).as("public %s", path).isEqualTo(404);
                assertThat(r.body()).doesNotContain("CTracker overlay").doesNotContain("\"key\"");
            }
        }
    }
}
