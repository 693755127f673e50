package net.ctracker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.SplittableRandom;

import net.ctracker.overlay.routing.NodeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a node's key comes from. */
final class NodeKeys {

    private static final Logger log = LoggerFactory.getLogger(NodeKeys.class);

    private NodeKeys() {
    }

    /**
     * {@code ctracker.node-key}; else the key kept in {@code data-dir} (generated at random the first
     * time); else the SHA-1 of a configured advertised URL (stable across restarts, unique per pod in
     * a StatefulSet); else random for this run: the default URL {@code http://127.0.0.1:<port>} is
     * the same on every host, so two hosts left on it would otherwise collide.
     */
    static NodeKey choose(OverlayProperties properties, String url) {
        if (properties.nodeKey() != null && !properties.nodeKey().isBlank()) {
            return NodeKey.parse(properties.nodeKey().trim());
        }
        if (properties.dataDir() != null && !properties.dataDir().isBlank()) {
            Path file = Path.of(properties.dataDir(), "node-key");
            try {
                if (Files.exists(file)) {
                    return NodeKey.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
                }
                NodeKey fresh = random();
                Files.createDirectories(file.getParent());
                Files.writeString(file, fresh + "\n", StandardCharsets.US_ASCII);
                return fresh;
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read or keep the node key in " + file + ": " + e.getMessage(), e);
            }
        }
        if (!properties.advertisedUrlSet()) {
            log.info("no ctracker.node-key, data-dir or advertised-url: a random node key for this run");
            return random();
        }
        try {
            return NodeKey.of(MessageDigest.getInstance("SHA-1").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static NodeKey random() {
        return NodeKey.random(new SplittableRandom(new SecureRandom().nextLong()));
    }
}
