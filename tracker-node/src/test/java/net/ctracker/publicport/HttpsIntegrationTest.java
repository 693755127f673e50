package net.ctracker.publicport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.config.PublicPortConfiguration.HttpsServerLifecycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Announce and scrape over TLS with certificates the test makes (keytool from the JDK), checked
 * by the JDK's HTTP client and by curl; a renewed pair is served to new connections, a broken one
 * is refused and the old pair stays.
 */
class HttpsIntegrationTest {

    private static Path dir;
    private static Path cert;
    private static Path key;
    private static ConfigurableApplicationContext node;
    private static X509Certificate first;
    private static X509Certificate second;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("ctracker-https");
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        first = makePair("first", cert, key);
        second = makePair("second", dir.resolve("cert2.pem"), dir.resolve("key2.pem"));
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        node = new SpringApplicationBuilder(TrackerNodeApplication.class)
                .run("--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0", "--ctracker.udp.port=0",
                        "--ctracker.https.port=" + port, "--ctracker.https.certificate=" + cert,
                        "--ctracker.https.private-key=" + key, "--logging.level.root=WARN");
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** A self-signed EC certificate for 127.0.0.1 as PEM, and its key as PKCS#8 PEM. */
    private static X509Certificate makePair(String name, Path certPem, Path keyPem) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate c = ks.getCertificate(name);
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + b64.encodeToString(ks.getKey(name, "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return (X509Certificate) c;
    }

    private static HttpClient trusting(X509Certificate... certs) throws Exception {
        return HttpClient.newBuilder().sslContext(trustContext(certs)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext trustContext(X509Certificate... certs) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            trust.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static int httpsPort() {
        return node.getBean(HttpsServerLifecycle.class).port();
    }

    private static final String ANNOUNCE = "/announce?info_hash=" + "%44".repeat(20)
            + "&peer_id=-TL0001-000000000001&port=6881&left=0";

    /** The certificate a fresh connection is served, and the reply. */
    private static HttpResponse<String> get(HttpClient client, String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort() + target)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void announceAndScrapeOverTlsThenARenewedCertificateIsServed() throws Exception {
        HttpResponse<String> reply = get(trusting(first), ANNOUNCE);
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("d8:completei1e");
        assertThat(get(trusting(first), "/scrape?info_hash=" + "%44".repeat(20)).body()).contains("5:files");
        assertThat(get(trusting(first), "/actuator/health").statusCode()).as("announce and scrape only").isEqualTo(404);

        if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--cacert", cert.toString(),
                    "https://127.0.0.1:" + httpsPort() + ANNOUNCE).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("curl (OpenSSL) against the certificate").startsWith("d8:completei1e");
        }

        // renewal: key first, then certificate, each renamed into place
        Files.move(dir.resolve("key2.pem"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(dir.resolve("cert2.pem"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        SSLContext both = trustContext(first, second);
        await("new connections get the renewed certificate").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> served(both).equals(second));

        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        var registry = node.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        await("the broken certificate is refused").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> registry.find("ctracker.https.reloads").tag("outcome", "failed").counter() != null);
        assertThat(served(both)).as("the renewed pair stays in force").isEqualTo(second);
        assertThat(get(trusting(first, second), ANNOUNCE).body()).startsWith("d8:complete");
    }

    /** The certificate a new TLS connection is served (trusted by {@code ssl}, so it must verify). */
    private static X509Certificate served(SSLContext ssl) throws Exception {
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", httpsPort())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
