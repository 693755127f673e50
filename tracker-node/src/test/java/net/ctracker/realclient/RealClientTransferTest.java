package net.ctracker.realclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.bencode.BencodeReader;
import net.ctracker.bencode.ByteKey;
import net.ctracker.config.PublicServerLifecycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * End to end with two independent BitTorrent implementations that find each other only through
 * this tracker: aria2c seeds a private torrent, qbittorrent-nox downloads it, and the received file
 * must be byte-identical to the original. DHT, PeX and local discovery are off in both clients, and
 * everything listens on 127.0.0.1.
 *
 * <p>The seeder is started first and the leecher only once the node holds the seeder, so the
 * leecher's first announce already returns it (qBittorrent would otherwise wait its minimum
 * re-announce interval of several minutes). Missing binaries fail the test when {@code CI=true} and
 * skip it elsewhere.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RealClientTransferTest {

    private static final int FILE_SIZE = 5 * 1024 * 1024;
    private static final Duration TRANSFER_DEADLINE = Duration.ofSeconds(75);

    @TempDir
    Path dir;

    private ConfigurableApplicationContext node;
    private ConfigurableApplicationContext second;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void requireClients() {
        List<String> missing = new ArrayList<>();
        for (String binary : List.of("mktorrent", "aria2c", "qbittorrent-nox")) {
            if (!onPath(binary)) {
                missing.add(binary);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "real BitTorrent clients not installed: " + missing
                + " (apt-get install -y aria2 qbittorrent-nox mktorrent)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    @AfterEach
    void stopEverything() {
        for (Process p : processes) {
            stop(p);
        }
        processes.clear();
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {second, node}) {
            if (c != null) {
                c.close();
            }
        }
        node = null;
        second = null;
    }

    @Test
    void aria2SeedsAndQbittorrentDownloadsThroughTheTracker() throws Exception {
        // command-line arguments, not builder properties: those are defaults that the packaged
        // application.properties (server.port=6969) would override
        node = startNode(List.of());
        int trackerPort = node.getBean(PublicServerLifecycle.class).port();
        transfer(trackerPort, trackerPort, 0);
        assertThat(startedAnnounces(node)).as("announces with event=started").isGreaterThanOrEqualTo(2);
    }

    /**
     * The same over the UDP tracker protocol (BEP 15): a {@code udp://} announce URL. aria2c speaks
     * UDP to trackers only with its DHT on; with no other node on loopback its DHT finds no one, so
     * the two clients still meet only through the tracker. qBittorrent (libtorrent) also sends the
     * URL path as a BEP 41 option.
     */
    @Test
    void aria2SeedsAndQbittorrentDownloadsThroughTheUdpTracker() throws Exception {
        int udpPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
            udpPort = probe.getLocalPort();
        }
        node = startNode(List.of("--ctracker.udp.port=" + udpPort));
        int trackerPort = node.getBean(PublicServerLifecycle.class).port();
        transfer(trackerPort, trackerPort, udpPort);
        assertThat(startedAnnounces(node)).as("announces with event=started").isGreaterThanOrEqualTo(2);
        var registry = node.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(registry.get("ctracker.udp.requests").tag("type", "announce").tag("outcome", "ok").counter().count())
                .as("both announced over UDP").isGreaterThanOrEqualTo(2);
    }

    /**
     * Across nodes: aria2c announces to node A only, qbittorrent-nox to node B only (two torrent
     * files of the same content, so one info_hash, each naming one node). They find each other only
     * because the two nodes are one tracker.
     */
    @Test
    void aria2SeedsThroughOneNodeAndQbittorrentDownloadsThroughAnother() throws Exception {
        String secret = "real-client-cluster-secret";
        node = startNode(List.of("--ctracker.cluster-secret=" + secret));
        String bootstrap = "http://127.0.0.1:" + ((org.springframework.boot.web.server.context.WebServerApplicationContext) node)
                .getWebServer().getPort();
        second = startNode(List.of("--ctracker.cluster-secret=" + secret, "--ctracker.bootstrap=" + bootstrap));
        await("node B joined").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> second.getBean(net.ctracker.overlay.LocalNode.class).node().snapshot().joined());
        int a = node.getBean(PublicServerLifecycle.class).port();
        int b = second.getBean(PublicServerLifecycle.class).port();
        transfer(a, b, 0);
        assertThat(startedAnnounces(node)).as("aria2c announced at node A").isGreaterThanOrEqualTo(1);
        assertThat(startedAnnounces(second)).as("qBittorrent announced at node B").isGreaterThanOrEqualTo(1);
    }

    private ConfigurableApplicationContext startNode(List<String> extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0",
                "--ctracker.announce.interval=10s", "--ctracker.announce.min-interval=2s",
                "--ctracker.partial.cache-ttl=1s", "--ctracker.partial.stale-ttl=1s"));
        args.addAll(extra);
        return new SpringApplicationBuilder(TrackerNodeApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * aria2c seeds through the tracker at {@code seedPort}, qbittorrent-nox downloads through
     * {@code leechPort} (HTTP ports, also used to scrape); with {@code udpPort} set, both announce to
     * one node over UDP on that port instead.
     */
    private void transfer(int seedPort, int leechPort, int udpPort) throws Exception {
        Path seedDir = Files.createDirectories(dir.resolve("seed"));
        Path downloadDir = Files.createDirectories(dir.resolve("download"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path original = seedDir.resolve("payload.bin");
        byte[] content = new byte[FILE_SIZE];
        new Random().nextBytes(content);
        Files.write(original, content);
        byte[] expectedSha = sha256(content);

        Path torrent = dir.resolve("payload.torrent");
        run(home, Duration.ofSeconds(30), "mktorrent", "-p", "-l", "18",
                "-a", udpPort > 0 ? "udp://127.0.0.1:" + udpPort + "/announce" : "http://127.0.0.1:" + seedPort + "/announce",
                "-o", torrent.toString(), original.toString());
        byte[] infoHash = infoHashOf(Files.readAllBytes(torrent));
        Path leechTorrent = torrent;
        if (leechPort != seedPort) {
            leechTorrent = dir.resolve("payload-b.torrent");
            run(home, Duration.ofSeconds(30), "mktorrent", "-p", "-l", "18",
                    "-a", "http://127.0.0.1:" + leechPort + "/announce",
                    "-o", leechTorrent.toString(), original.toString());
            assertThat(infoHashOf(Files.readAllBytes(leechTorrent))).as("same content, same info_hash").isEqualTo(infoHash);
        }

        // seeder: aria2c verifies the file it has, then announces left=0 and stays a seeder
        List<String> aria2 = new ArrayList<>(List.of("aria2c", "--no-conf=true",
                "--enable-dht6=false", "--enable-peer-exchange=false",
                "--bt-enable-lpd=false", "--disable-ipv6=true", "--interface=127.0.0.1",
                // a range, not a probed port: aria2c binds the first one free, so nothing can take it meanwhile
                "--listen-port=20000-40000", "--check-integrity=true", "--bt-seed-unverified=false",
                "--seed-ratio=0.0", "--bt-stop-timeout=0", "--file-allocation=none",
                "--console-log-level=notice", "--summary-interval=0", "--dir=" + seedDir));
        if (udpPort > 0) {
            aria2.addAll(List.of("--enable-dht=true", "--dht-listen-port=40001-50000",
                    "--dht-file-path=" + dir.resolve("aria2-dht.dat")));
        } else {
            aria2.add("--enable-dht=false");
        }
        aria2.add(torrent.toString());
        start(home, dir.resolve("aria2c.log"), aria2.toArray(String[]::new));
        // the leecher's node counts the seeder: the swarm's root holds it, wherever that is
        await("aria2c registered as a seeder").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(scrape(leechPort, infoHash)[0]).isEqualTo(1));

        // leecher: qbittorrent-nox with a private profile, the torrent given on the command line
        // port 0 for its peer and web UI ports: the system picks free ones (no probe, no race); the web
        // UI (diagnostics only) is found among the ports the process listens on
        Path profile = dir.resolve("qbt-profile");
        writeQbittorrentConfig(profile, downloadDir, 0, 0);
        Process qbittorrent = start(home, dir.resolve("qbittorrent.log"), "qbittorrent-nox", "--profile=" + profile,
                "--save-path=" + downloadDir, "--add-paused=false", "--skip-dialog=true", leechTorrent.toString());

        Path received = downloadDir.resolve("payload.bin");
        try {
            await("qbittorrent-nox received the file intact").atMost(TRANSFER_DEADLINE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Files.isRegularFile(received) && Files.size(received) == FILE_SIZE
                            && Arrays.equals(sha256(Files.readAllBytes(received)), expectedSha));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("transfer did not complete: " + diagnostics(qbittorrent.pid()), e);
        }

        // two distinct peers announced this swarm: aria2c and qBittorrent, counted at either node
        await("both clients in the tracker's counts").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (int port : new int[] {seedPort, leechPort}) {
                        long[] counts = scrape(port, infoHash);
                        assertThat(counts[0] + counts[1]).as("complete + incomplete at port %d", port).isEqualTo(2);
                    }
                });
    }

    // ---- the node ----

    /** {complete, incomplete, downloaded} for one swarm, via the public /scrape. */
    private long[] scrape(int port, byte[] infoHash) throws IOException, InterruptedException {
        String url = "http://127.0.0.1:" + port + "/scrape?info_hash=" + percentEncode(infoHash);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<?, ?> reply = (Map<?, ?>) BencodeReader.decode(r.body());
        assertThat(reply.containsKey(ByteKey.of("files")))
                .as("scrape reply %s", new String(r.body(), StandardCharsets.ISO_8859_1)).isTrue();
        Map<?, ?> files = (Map<?, ?>) reply.get(ByteKey.of("files"));
        Map<?, ?> swarm = (Map<?, ?>) files.get(new ByteKey(infoHash));
        if (swarm == null) {
            return new long[] {0, 0, 0};
        }
        return new long[] {(Long) swarm.get(ByteKey.of("complete")), (Long) swarm.get(ByteKey.of("incomplete")),
                (Long) swarm.get(ByteKey.of("downloaded"))};
    }

    private static double startedAnnounces(ConfigurableApplicationContext node) {
        var registry = node.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        var counter = registry.find("ctracker.announces").tag("event", "started").tag("outcome", "ok").counter();
        return counter == null ? 0 : counter.count();
    }

    // ---- the clients ----

    private static void writeQbittorrentConfig(Path profile, Path savePath, int peerPort, int webUiPort) throws IOException {
        Path config = Files.createDirectories(profile.resolve("qBittorrent").resolve("config"));
        String ini = String.join("\n",
                "[LegalNotice]",
                "Accepted=true",
                "",
                "[BitTorrent]",
                "Session\\DHTEnabled=false",
                "Session\\LSDEnabled=false",
                "Session\\PeXEnabled=false",
                "Session\\AnonymousModeEnabled=false",
                "Session\\Interface=lo",
                "Session\\InterfaceName=lo",
                "Session\\InterfaceAddress=127.0.0.1",
                "Session\\Port=" + peerPort,
                "Session\\DefaultSavePath=" + savePath,
                "Session\\TempPathEnabled=false",
                "Session\\AddExtensionToIncompleteFiles=false",
                "Session\\Preallocation=false",
                "Session\\QueueingSystemEnabled=false",
                "",
                "[Preferences]",
                "Connection\\PortRangeMin=" + peerPort,
                "Connection\\UPnP=false",
                "General\\Locale=en",
                "WebUI\\Address=127.0.0.1",
                "WebUI\\Port=" + webUiPort,
                "WebUI\\LocalHostAuth=false",
                "WebUI\\CSRFProtection=false",
                "WebUI\\HostHeaderValidation=false",
                "");
        Files.writeString(config.resolve("qBittorrent.conf"), ini);
    }

    /** What qBittorrent says about its torrents and trackers, for a failure message. */
    private String diagnostics(long qbittorrentPid) {
        StringBuilder b = new StringBuilder();
        List<Integer> ports = listeningPorts(qbittorrentPid);
        b.append("\nqbittorrent-nox listens on ").append(ports);
        for (int port : ports) {
            for (String path : List.of("/api/v2/torrents/info", "/api/v2/app/preferences")) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                    String body = r.body();
                    b.append('\n').append(port).append(path).append(": ").append(body, 0, Math.min(body.length(), 2000));
                } catch (IOException | InterruptedException e) {
                    b.append('\n').append(port).append(path).append(": unreachable (").append(e).append(')');
                }
            }
        }
        for (String log : List.of("aria2c.log", "qbittorrent.log")) {
            try {
                String text = Files.readString(dir.resolve(log), StandardCharsets.UTF_8);
                b.append('\n').append(log).append(":\n").append(text.substring(Math.max(0, text.length() - 2000)));
            } catch (IOException e) {
                b.append('\n').append(log).append(": ").append(e);
            }
        }
        return b.toString();
    }

    private Process start(Path home, Path log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void run(Path home, Duration limit, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve(command[0] + ".log");
        Process p = start(home, log, command);
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(command[0] + " did not finish within " + limit);
        }
        assertThat(p.exitValue()).as("%s exit code; output: %s", command[0], Files.readString(log)).isZero();
    }

    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    // ---- helpers ----

    static boolean onPathOf(String binary) {
        return onPath(binary);
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, binary))) {
                return true;
            }
        }
        return false;
    }

    /** TCP ports a process listens on (Linux): its socket inodes matched against /proc/net/tcp. */
    static List<Integer> listeningPorts(long pid) {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            });
            List<Integer> ports = new java.util.ArrayList<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                        ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                    }
                }
            }
            return ports;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** SHA-1 of the torrent's info dictionary, re-encoded (mktorrent writes canonical bencode). */
    static byte[] infoHashOf(byte[] torrent) throws NoSuchAlgorithmException {
        Map<?, ?> meta = (Map<?, ?>) BencodeReader.decode(torrent);
        Object info = meta.get(ByteKey.of("info"));
        assertThat(info).as("torrent info dictionary").isInstanceOf(Map.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(info, out);
        return MessageDigest.getInstance("SHA-1").digest(out.toByteArray());
    }

    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof Long l) {
            out.writeBytes(("i" + l + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof byte[] b) {
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (value instanceof List<?> list) {
            out.write('l');
            list.forEach(v -> encode(v, out));
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            // the reader keeps keys in raw byte order, which is bencode's canonical order
            out.write('d');
            map.forEach((k, v) -> {
                encode(((ByteKey) k).bytes(), out);
                encode(v, out);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("not a bencode value: " + value);
        }
    }

    private static String percentEncode(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 3);
        for (byte x : bytes) {
            b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(x));
        }
        return b.toString();
    }

    private static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
