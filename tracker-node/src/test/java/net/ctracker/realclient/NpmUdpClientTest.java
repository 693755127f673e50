package net.ctracker.realclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.config.PublicPortConfiguration.UdpServerLifecycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second, independent implementation of the UDP tracker protocol: npm's {@code bittorrent-tracker}
 * Client (src/test/node/udp-client.mjs) announces two peers of one swarm and scrapes it over UDP.
 * The package is installed once into {@code target/npm-client} with
 * {@code npm install --ignore-scripts}; without node and npm, or when the registry cannot be
 * reached, the test fails under {@code CI=true} and is skipped elsewhere, saying why.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NpmUdpClientTest {

    static final String PACKAGE = "bittorrent-tracker@11.2.3";

    private static ConfigurableApplicationContext node;

    @BeforeAll
    static void startNode() throws IOException {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        node = new SpringApplicationBuilder(TrackerNodeApplication.class)
                .run("--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0",
                        "--ctracker.udp.port=" + port, "--logging.level.root=WARN");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** Skips (or, on CI, fails) with the reason. */
    static void unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(reason);
        }
        Assumptions.abort(reason);
    }

    /** The directory holding node_modules/bittorrent-tracker and the client script, installed once. */
    static Path installedClient() throws IOException, InterruptedException {
        for (String tool : List.of("node", "npm")) {
            if (!RealClientTransferTest.onPathOf(tool)) {
                unavailable(tool + " not installed (apt-get install -y nodejs npm)");
            }
        }
        Path dir = Path.of("target", "npm-client").toAbsolutePath();
        Files.createDirectories(dir);
        Files.copy(Path.of("src", "test", "node", "udp-client.mjs"), dir.resolve("udp-client.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isRegularFile(dir.resolve("node_modules/bittorrent-tracker/package.json"))) {
            Path log = dir.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--no-save", PACKAGE).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(180, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                unavailable("npm install " + PACKAGE + " did not finish within 180 s");
            }
            if (npm.exitValue() != 0) {
                String out = Files.readString(log);
                unavailable("npm install " + PACKAGE + " failed (registry unreachable?): " + out.substring(Math.max(0, out.length() - 600)));
            }
        }
        return dir;
    }

    @Test
    void bittorrentTrackerClientAnnouncesAndScrapesOverUdp() throws Exception {
        Path dir = installedClient();
        int port = node.getBean(UdpServerLifecycle.class).port();
        byte[] hash = new byte[20];
        new Random().nextBytes(hash);
        Process client = new ProcessBuilder("node", "udp-client.mjs", "udp://127.0.0.1:" + port, HexFormat.of().formatHex(hash))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = client.inputReader(StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("the client exits").isTrue();
        String output = String.join("\n", lines);
        assertThat(client.exitValue()).as("client output:\n%s", output).isZero();
        assertThat(lines).as("client output:\n%s", output)
                .contains("{\"who\":\"seeder\",\"event\":\"update\",\"complete\":1,\"incomplete\":0}")
                .contains("{\"who\":\"leecher\",\"event\":\"update\",\"complete\":1,\"incomplete\":1}")
                .contains("{\"who\":\"leecher\",\"event\":\"peer\",\"addr\":\"127.0.0.1:6881\"}")
                .contains("{\"who\":\"leecher\",\"event\":\"scrape\",\"complete\":1,\"incomplete\":1,\"downloaded\":0}")
                .endsWith("{\"done\":true}");
    }
}
