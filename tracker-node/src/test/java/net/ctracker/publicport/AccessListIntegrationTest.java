package net.ctracker.publicport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import net.ctracker.config.PublicServerLifecycle;
import net.ctracker.support.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An allow list file: only its hashes are served, a change is picked up, a broken file keeps the old list. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"server.port=0", "ctracker.internal-port=0"})
class AccessListIntegrationTest {

    private static final String SERVED = "11".repeat(20);
    private static final String OTHER = "22".repeat(20);
    private static final Path DIR;
    private static final Path ALLOW;

    static {
        try {
            DIR = Files.createTempDirectory("ctracker-access");
            ALLOW = DIR.resolve("allow.txt");
            Files.writeString(ALLOW, "# our own content\n" + SERVED + "  first release\n\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void lists(DynamicPropertyRegistry registry) {
        registry.add("ctracker.access.allow-list", ALLOW::toString);
    }

    @AfterAll
    static void removeFiles() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(DIR);
    }

    @Autowired
    PublicServerLifecycle http;

    @LocalServerPort
    int internalPort;

    private final HttpClient client = HttpClient.newHttpClient();

    private String get(int port, String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1)).body();
    }

    private String announce(String hex, int peer) throws Exception {
        return get(http.port(), "/announce?info_hash=" + hex.replaceAll("..", "%$0") + "&peer_id=-AL0001-"
                + String.format("%012d", peer) + "&port=" + (6000 + peer) + "&left=1");
    }

    private PrometheusText metrics() throws Exception {
        return PrometheusText.parse(get(internalPort, "/actuator/prometheus"));
    }

    /** Replaces the list the way an operator should: write aside, then rename over it. */
    private static void publish(String content) throws IOException {
        Path next = DIR.resolve("allow.next");
        Files.writeString(next, content);
        Files.move(next, ALLOW, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void onlyListedHashesAreServedAndTheListIsReReadWhenItChanges() throws Exception {
        assertThat(announce(SERVED, 1)).contains("5:peers").doesNotContain("failure reason");
        assertThat(announce(OTHER, 2)).contains("failure reason").contains("not served by this tracker");
        assertThat(get(http.port(), "/scrape?info_hash=" + OTHER.replaceAll("..", "%$0"))).contains("not served");
        PrometheusText m = metrics();
        assertThat(m.value("ctracker_access_checks_total{outcome=\"refused\"}")).isEqualTo(2.0);
        assertThat(m.value("ctracker_request_errors_total{reason=\"info_hash_not_allowed\"}")).isEqualTo(2.0);
        assertThat(m.value("ctracker_access_entries{kind=\"allow\"}")).isEqualTo(1.0);
        assertThat(m.value("ctracker_swarms")).as("the refused hash was never stored").isEqualTo(1.0);

        publish(SERVED + "\n" + OTHER + "\n");
        await("the new list is in force").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !announce(OTHER, 3).contains("failure reason"));
        assertThat(metrics().value("ctracker_access_entries{kind=\"allow\"}")).isEqualTo(2.0);

        publish(SERVED + "\nnot-a-hash\n");
        await("the broken file is noticed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> metrics().value("ctracker_access_reloads_total{kind=\"allow\",outcome=\"failed\"}") != null);
        assertThat(announce(OTHER, 4)).as("the previous list stays in force").doesNotContain("failure reason");
        assertThat(metrics().value("ctracker_access_entries{kind=\"allow\"}")).isEqualTo(2.0);
    }
}
