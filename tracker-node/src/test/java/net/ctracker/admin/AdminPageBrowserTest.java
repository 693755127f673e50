package net.ctracker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.config.PublicServerLifecycle;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Three real nodes on loopback in three regions, and the operator's page at one of them in a real
 * headless Chromium (Debian's, through its chromedriver): the cluster view lists every node; the
 * page shows every node by key and region, this node's leaf set and the swarms, without a console
 * error; and when one node stops, both the API and the open page (no reload) mark it unreachable,
 * still listed, within a bounded time. The last test leaves a screenshot in target/admin-ui.png, and
 * where {@code -Dadmin.screenshot=<file>} says (scripts/admin-screenshot.sh makes docs/admin-ui.png).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageBrowserTest {

    private static final String SECRET = "admin-page-browser-test-secret";
    private static final String[] REGIONS = {"eu-west", "us-east", "ap-south"};
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** How long a stopped node may take to show as unreachable: the page's refresh (2 s) plus one gathering (at most 2 s). */
    private static final Duration UNREACHABLE_WITHIN = Duration.ofSeconds(20);

    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<String> internal = new ArrayList<>();
    private final List<Integer> publicPorts = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final byte[][] swarms = new byte[3][20];
    private ChromeDriver browser;
    private Path profile;

    @BeforeAll
    void startThreeNodesAndAnnounce() throws Exception {
        for (int i = 0; i < 3; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0",
                    "--ctracker.cluster-secret=" + SECRET, "--ctracker.region=" + REGIONS[i],
                    "--ctracker.overlay.ping-period=1s", "--ctracker.overlay.leaf-exchange-period=2s",
                    "--ctracker.overlay.row-exchange-period=2s", "--ctracker.overlay.join-retry=500ms",
                    "--ctracker.admin.cluster.cache-ttl=500ms", "--ctracker.admin.cluster.timeout=2s",
                    "--spring.main.banner-mode=off"));
            if (i > 0) {
                args.add("--ctracker.bootstrap=" + internal.get(0));
            }
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(args.toArray(String[]::new));
            nodes.add(ctx);
            internal.add("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
            publicPorts.add(ctx.getBean(PublicServerLifecycle.class).port());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> internal.stream().allMatch(this::ready));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String url : internal) {
                assertThat(get(url + "/admin/api/node").path("leafSet").size()).as("leaf set of %s", url).isEqualTo(2);
            }
        });
        for (String url : internal) {
            keys.add(get(url + "/admin/api/node").path("key").asString());
        }
        // three swarms of 5, 3 and 1 peers, announced at every node in turn
        for (int s = 0; s < 3; s++) {
            swarms[s][0] = (byte) (0xc0 + s);
            swarms[s][19] = (byte) s;
            int peers = new int[] {5, 3, 1}[s];
            for (int p = 0; p < peers; p++) {
                announce(p % 3, swarms[s], 30_000 + 100 * s + p, p % 2 == 0 ? 0 : 1000);
            }
        }
    }

    @AfterAll
    void stopAll() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        nodes.forEach(ConfigurableApplicationContext::close);
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theClusterViewListsEveryRealNodeWithItsFigures() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (String url : internal) {
                JsonNode c = get(url + "/admin/api/cluster");
                assertThat(c.path("complete").asBoolean()).isTrue();
                assertThat(c.path("nodes")).hasSize(3);
                for (JsonNode n : c.path("nodes")) {
                    int i = keys.indexOf(n.path("key").asString());
                    assertThat(i).as("a node of this cluster: %s", n).isNotNegative();
                    assertThat(n.path("url").asString()).isEqualTo(internal.get(i));
                    assertThat(n.path("region").asString()).isEqualTo(REGIONS[i]);
                    assertThat(n.path("reachable").asBoolean()).isTrue();
                    assertThat(n.path("joined").asBoolean()).isTrue();
                    assertThat(n.path("leafSetSize").asInt()).isEqualTo(2);
                    assertThat(n.path("leafSet")).hasSize(2);
                    assertThat(n.path("routingEntries").asInt()).isPositive();
                    assertThat(n.path("lastSeen").asString()).isNotEmpty();
                }
                assertThat(c.path("latency")).as("measured RTTs between the nodes").hasSizeGreaterThanOrEqualTo(3);
                int peers = 0;
                for (JsonNode n : c.path("nodes")) {
                    peers += n.path("peers").asInt();
                }
                assertThat(peers).as("every announced peer in some node's store").isEqualTo(9);
            }
        });
    }

    @Test
    @Order(2)
    void theLargestSwarmsAreTheClustersWithRootAndReplicas() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode s = get(internal.get(1) + "/admin/api/swarms?limit=2");
            assertThat(s.path("swarms")).hasSize(2);
            JsonNode first = s.path("swarms").get(0);
            assertThat(first.path("infoHash").asString()).isEqualTo(HexFormat.of().formatHex(swarms[0]));
            assertThat(first.path("seeders").asInt() + first.path("leechers").asInt()).isEqualTo(5);
            assertThat(first.path("seeders").asInt()).isEqualTo(3);
            assertThat(first.path("root").path("url").asString()).isIn(internal);
            assertThat(first.path("holders")).extracting(h -> h.path("role").asString()).contains("root", "replica");
            assertThat(s.path("swarms").get(1).path("peers").asInt()).isEqualTo(3);
        });
        HttpResponse<String> bad = send(internal.get(0) + "/admin/api/swarms?limit=5000");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(bad.body()).contains("1000");
    }

    @Test
    @Order(3)
    void thePageShowsEveryNodeByKeyAndRegionTheLeafSetAndTheSwarms() {
        openPage();
        inBrowser(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#nodes tbody tr[data-key]"));
            assertThat(rows).hasSize(3);
            for (int i = 0; i < 3; i++) {
                WebElement row = browser.findElement(By.cssSelector("#nodes tbody tr[data-key='" + keys.get(i) + "']"));
                assertThat(row.findElement(By.cssSelector("td.key")).getText()).isEqualTo(keys.get(i));
                assertThat(row.findElement(By.cssSelector("td.region")).getText()).contains(REGIONS[i]);
                assertThat(row.findElement(By.cssSelector("td.state")).getText()).isIn("this node", "answering");
            }
            assertThat(browser.findElements(By.cssSelector("#ring g.node"))).hasSize(3);
            assertThat(browser.findElements(By.cssSelector("#ring g.node.self"))).singleElement()
                    .satisfies(g -> assertThat(g.getAttribute("data-key")).isEqualTo(keys.get(0)));
        });
        inBrowser(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> leaves = browser.findElements(By.cssSelector("#leafset tbody tr[data-key]")).stream()
                    .map(r -> r.findElement(By.cssSelector("td.key")).getText()).toList();
            assertThat(leaves).containsExactlyInAnyOrder(keys.get(1), keys.get(2));
            assertThat(browser.findElements(By.cssSelector("#routing rect.cell.filled"))).isNotEmpty();
            List<String> hashes = browser.findElements(By.cssSelector("#swarms tbody tr[data-hash]")).stream()
                    .map(r -> r.getAttribute("data-hash")).toList();
            assertThat(hashes).containsExactly(HexFormat.of().formatHex(swarms[0]), HexFormat.of().formatHex(swarms[1]),
                    HexFormat.of().formatHex(swarms[2]));
            assertThat(browser.findElement(By.id("locality")).getText()).contains("answers measured")
                    .contains("median predicted RTT of peers handed out").contains("ranking by closeness");
            assertThat(browser.findElements(By.cssSelector("#rates .chart"))).hasSize(3);
            assertThat(browser.findElement(By.id("status")).getText()).startsWith("updated");
        });
        // the search: a bad hash is explained in words, a held one shows its holders
        browser.findElement(By.id("swarm-hash")).sendKeys("not-a-hash");
        // (a search of a hash nobody holds would log the 404 as a console error: the API test covers it)
        browser.findElement(By.cssSelector("#swarm-search button")).click();
        inBrowser(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("swarm-result")).getText()).contains("40 hex digits"));
        inBrowser(Duration.ofSeconds(5)).until(() -> {
            browser.findElement(By.cssSelector("#swarms tbody tr[data-hash='" + HexFormat.of().formatHex(swarms[1]) + "']")).click();
            return true;
        });
        inBrowser(Duration.ofSeconds(15)).untilAsserted(() -> {
            WebElement result = browser.findElement(By.id("swarm-result"));
            assertThat(result.getText()).contains(HexFormat.of().formatHex(swarms[1])).contains("root").contains("local");
        });
        assertNoConsoleErrors();
    }

    @Test
    @Order(4)
    void aStoppedNodeIsMarkedUnreachableWithoutAReloadAndStaysListed() throws Exception {
        if (browser == null) {
            openPage();
        }
        String stopped = keys.get(2);
        if (browser != null) {
            browser.executeScript("window.ctrackerSamePage = 'still the same page';");
            // requests while the page samples the counters: its charts show the rates (and the screenshot has some)
            int[] sent = {0};
            inBrowser(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(sent[0]).as("bounded traffic").isLessThan(2_000);
                for (int i = 0; i < 4; i++) {
                    announce(0, swarms[0], 31_000 + sent[0]++ % 50, 0);
                }
                send("http://127.0.0.1:" + publicPorts.get(0) + "/announce?info_hash=short"); // an error, counted
                assertThat(rate("announces")).isPositive();
                assertThat(rate("errors")).isPositive();
                assertThat(browser.findElement(By.id("cpu")).getText()).contains("µs");
            });
        }
        long stoppedAt = System.nanoTime();
        nodes.get(2).close();

        await().atMost(UNREACHABLE_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode c = get(internal.get(0) + "/admin/api/cluster");
            assertThat(c.path("nodes")).as("not dropped").hasSize(3);
            JsonNode n = node(c, stopped);
            assertThat(n.path("reachable").asBoolean()).isFalse();
            assertThat(n.path("lastSeen").asString()).isNotEmpty();
            assertThat(n.path("unreachableSince").asString()).isNotEmpty();
            assertThat(n.path("region").asString()).isEqualTo(REGIONS[2]);
            assertThat(node(c, keys.get(1)).path("reachable").asBoolean()).isTrue();
        });
        System.out.printf("AdminPageBrowserTest: the API reported the stopped node unreachable after %d ms%n",
                (System.nanoTime() - stoppedAt) / 1_000_000);
        if (browser == null) {
            return;
        }
        inBrowser(UNREACHABLE_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            WebElement row = browser.findElement(By.cssSelector("#nodes tbody tr[data-key='" + stopped + "']"));
            assertThat(row.getAttribute("data-reachable")).isEqualTo("false");
            assertThat(row.findElement(By.cssSelector("td.state")).getText()).startsWith("unreachable since").contains("last seen");
            assertThat(row.findElement(By.cssSelector("td.region")).getText()).contains(REGIONS[2]);
            assertThat(browser.findElements(By.cssSelector("#ring g.node.unreachable"))).singleElement()
                    .satisfies(g -> assertThat(g.getAttribute("data-key")).isEqualTo(stopped));
            assertThat(browser.findElements(By.cssSelector("#nodes tbody tr[data-key]"))).hasSize(3);
        });
        System.out.printf("AdminPageBrowserTest: the page showed the stopped node unreachable after %d ms%n",
                (System.nanoTime() - stoppedAt) / 1_000_000);
        assertThat(browser.executeScript("return window.ctrackerSamePage;")).as("no reload").isEqualTo("still the same page");
        // the leaf set shrinks to the one node left, and the page follows
        inBrowser(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("#leafset tbody tr[data-key]"))).hasSize(1));
        assertNoConsoleErrors();
        screenshot();
    }

    /** For the screenshot in docs/: about a minute of light, bounded traffic, so that the charts have a shape. */
    private void trafficForTheScreenshot() {
        long start = System.nanoTime();
        int[] sent = {0};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int burst = 2 + (int) (3 * (1 + Math.sin((System.nanoTime() - start) / 6e9)));
            for (int i = 0; i < burst && sent[0] < 10_000; i++) {
                announce(i % 2, swarms[i % 3], 32_000 + sent[0]++ % 200, i % 2 == 0 ? 0 : 1000);
            }
            if (sent[0] % 7 == 0) {
                send("http://127.0.0.1:" + publicPorts.get(0) + "/scrape?info_hash=short");
            }
            return System.nanoTime() - start > 60_000_000_000L;
        });
    }

    // ---- the browser

    /** Waits on the page, which redraws its panels every few seconds: an element read mid-redraw is read again. */
    private static ConditionFactory inBrowser(Duration atMost) {
        return await().atMost(atMost).ignoreExceptionsMatching(
                e -> e instanceof StaleElementReferenceException || e instanceof NoSuchElementException);
    }

    private void openPage() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        // CI installs both (.ci/run); elsewhere the browser half of this test needs them too
        Assumptions.assumeTrue(present || System.getenv("CI") != null,
                "Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        try {
            profile = Files.createTempDirectory("ctracker-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1400,2300");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        browser.get(internal.get(0) + "/admin/");
        assertThat(browser.getTitle()).isEqualTo("CTracker overlay");
    }

    /** The current value of one of the page's rate charts. */
    private double rate(String series) {
        // read in one script call: the chart may be redrawn between finding an element and reading it
        Object text = browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                "#rates .chart[data-series='" + series + "'] .current");
        try {
            return Double.parseDouble(String.valueOf(text).replace(",", ""));
        } catch (NumberFormatException e) {
            return -1; // still measuring
        }
    }

    /** Nothing the page logged at error level: no script error, no failed request, no CSP violation. */
    private void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("console errors").isEmpty();
    }

    private void screenshot() throws IOException {
        String wanted = System.getProperty("admin.screenshot");
        if (wanted != null && !wanted.isBlank()) {
            trafficForTheScreenshot();
        }
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target/admin-ui.png");
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        if (wanted != null && !wanted.isBlank()) {
            Files.copy(shot, Path.of(wanted), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("AdminPageBrowserTest: screenshot written to " + wanted);
        }
        assertThat(Files.size(target)).isPositive();
    }

    // ---- HTTP

    private static JsonNode node(JsonNode cluster, String key) {
        for (JsonNode n : cluster.path("nodes")) {
            if (n.path("key").asString().equals(key)) {
                return n;
            }
        }
        throw new AssertionError("node " + key + " not listed in " + cluster);
    }

    private void announce(int node, byte[] infoHash, int port, long left) throws Exception {
        StringBuilder hash = new StringBuilder();
        for (byte b : infoHash) {
            hash.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        String url = "http://127.0.0.1:" + publicPorts.get(node) + "/announce?info_hash=" + hash + "&peer_id=-AP0001-"
                + String.format("%012d", port) + "&port=" + port + "&uploaded=0&downloaded=0&left=" + left + "&compact=1";
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("failure reason");
    }

    private HttpResponse<String> send(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonNode get(String url) {
        HttpResponse<String> r = send(url);
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private boolean ready(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
