package net.ctracker.publicport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port's TLS certificate chain and private key, from PEM files, reloaded when either
 * file changes. A new pair is used only once it parses and the key matches the certificate (it
 * signs a probe the certificate's public key verifies), so a half-written renewal keeps the old
 * pair in force; the reason is logged once per version of the files. The key must be PKCS#8
 * ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes), RSA or EC, unencrypted.
 * Connections that are open keep the context they started with.
 */
public final class TlsFiles {

    private static final Logger log = LoggerFactory.getLogger(TlsFiles.class);
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /** Told of every reload attempt of a changed pair. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = ok -> { };

        void reloaded(boolean ok);
    }

    private final Path certificate;
    private final Path privateKey;
    private final Observer observer;
    private volatile SslContext context;
    private List<FileTime> loaded;
    private List<FileTime> refused;

    /** Loads both files now; throws {@link IllegalArgumentException} naming the problem. */
    public TlsFiles(Path certificate, Path privateKey, Observer observer) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.observer = observer;
        try {
            loaded = versions();
            context = load();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("ctracker.https: cannot use certificate " + certificate + " with key "
                    + privateKey + ": " + e.getMessage(), e);
        }
    }

    public SslContext current() {
        return context;
    }

    /** Reloads when either file changed; true when a new pair is in force. */
    public synchronized boolean refresh() {
        List<FileTime> now;
        try {
            now = versions();
        } catch (IOException e) {
            return false; // a file is being replaced; look again next time
        }
        if (now.equals(loaded) || now.equals(refused)) {
            return false;
        }
        try {
            context = load();
            loaded = now;
            refused = null;
            log.info("TLS certificate {} and key {} reloaded", certificate, privateKey);
            observer.reloaded(true);
            return true;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            refused = now;
            log.warn("TLS certificate {} and key {} not reloaded, the previous pair stays in force: {}",
                    certificate, privateKey, e.getMessage());
            observer.reloaded(false);
            return false;
        }
    }

    private List<FileTime> versions() throws IOException {
        return List.of(Files.getLastModifiedTime(certificate), Files.getLastModifiedTime(privateKey),
                FileTime.fromMillis(Files.size(certificate)), FileTime.fromMillis(Files.size(privateKey)));
    }

    private SslContext load() throws IOException, GeneralSecurityException {
        X509Certificate[] chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificate)))
                .stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
        if (chain.length == 0) {
            throw new IllegalArgumentException("no certificate in " + certificate);
        }
        PrivateKey key = privateKey(Files.readString(privateKey, StandardCharsets.US_ASCII));
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "ctracker tls key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(chain[0].getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException("the private key does not belong to the first certificate");
        }
        return SslContextBuilder.forServer(key, chain).build();
    }

    private PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher m = KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PEM private key in " + privateKey);
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("the key is '" + m.group(1).trim() + " PRIVATE KEY'; convert it to PKCS#8: "
                    + "openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("the key is neither RSA nor EC PKCS#8", last);
    }
}
