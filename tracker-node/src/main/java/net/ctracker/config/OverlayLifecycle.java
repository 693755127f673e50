package net.ctracker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import net.ctracker.metrics.OverlayMetrics;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

import net.ctracker.transport.HttpOverlayTransport;
import net.ctracker.transport.LocalNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Builds and starts the overlay node once the internal port is bound (other nodes answer to it
 * from the first JOIN on), and leaves the overlay politely on shutdown.
 */
public class OverlayLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OverlayLifecycle.class);

    private final OverlayProperties properties;
    private final LocalNode local;
    private final OverlayMetrics metrics;
    private final ApplicationContext context;
    private ExecutorScheduler scheduler;
    private ExecutorService transportExecutor;
    private HttpOverlayTransport transport;
    private volatile boolean running;

    OverlayLifecycle(OverlayProperties properties, LocalNode local, OverlayMetrics metrics, ApplicationContext context) {
        this.properties = properties;
        this.local = local;
        this.metrics = metrics;
        this.context = context;
    }

    @Override
    public synchronized void start() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String url = properties.advertisedUrl() != null && !properties.advertisedUrl().isBlank()
                ? HttpOverlayTransport.stripSlash(properties.advertisedUrl()) : "http://127.0.0.1:" + port;
        NodeKey key = nodeKey(url);
        OverlayProperties.Overlay o = properties.overlay();
        OverlayConfig config = OverlayConfig.builder()
                .leafSetSize(o.leafSetSize())
                .proximity(o.proximity())
                .pingPeriodMillis(o.pingPeriod().toMillis())
                .tablePingPeriodMillis(o.tablePingPeriod().toMillis())
                .leafExchangePeriodMillis(o.leafExchangePeriod().toMillis())
                .rowExchangePeriodMillis(o.rowExchangePeriod().toMillis())
                .gracePeriodMillis(o.gracePeriod().toMillis())
                .joinRetryMillis(o.joinRetry().toMillis())
                .lookupTimeoutMillis(o.routeTimeout().toMillis())
                .build();
        scheduler = new ExecutorScheduler("overlay-loop");
        transportExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "overlay-http");
            t.setDaemon(true);
            return t;
        });
        transport = new HttpOverlayTransport(local.authenticator(), o.connectTimeout(),
                Duration.ofMillis(config.maxRtoMillis() * 2), transportExecutor, metrics::recordRtt);
        NodeHandle self = new NodeHandle(key, url, properties.region());
        OverlayNode node = new OverlayNode(self, config, scheduler, transport, new SplittableRandom(new SecureRandom().nextLong()));
        local.set(node);
        long window = o.replayWindow().toMillis();
        scheduler.schedule(window, new Runnable() {
            @Override
            public void run() {
                // the sweep walks the whole replay memory: off the overlay's loop
                try {
                    transportExecutor.execute(local.authenticator()::expire);
                } catch (RejectedExecutionException e) {
                    return; // shutting down
                }
                scheduler.schedule(window, this);
            }
        });
        node.start(properties.bootstrap());
        running = true;
        log.info("overlay node {} ({}) at {} joining via {}", key, properties.region(), url,
                properties.bootstrap().isEmpty() ? "nobody: first node" : properties.bootstrap());
    }

    @Override
    public synchronized void stop() {
        running = false;
        OverlayNode node = local.node();
        if (node == null || scheduler == null) {
            return;
        }
        // leave runs on the loop; wait (bounded) until it has sent its goodbyes and they are answered
        node.leave();
        CompletableFuture<Void> left = new CompletableFuture<>();
        scheduler.execute(() -> left.complete(null));
        try {
            left.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("overlay loop did not finish leaving in time");
        }
        transport.drain(Duration.ofSeconds(1));
        scheduler.close();
        transport.close();
        transportExecutor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private NodeKey nodeKey(String url) {
        if (properties.nodeKey() != null && !properties.nodeKey().isBlank()) {
            return NodeKey.parse(properties.nodeKey().trim());
        }
        if (properties.dataDir() != null && !properties.dataDir().isBlank()) {
            Path file = Path.of(properties.dataDir(), "node-key");
            try {
                if (Files.exists(file)) {
                    return NodeKey.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
                }
                NodeKey fresh = NodeKey.random(new SplittableRandom(new SecureRandom().nextLong()));
                Files.createDirectories(file.getParent());
                Files.writeString(file, fresh + "\n", StandardCharsets.US_ASCII);
                return fresh;
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read or keep the node key in " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            return NodeKey.of(MessageDigest.getInstance("SHA-1").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
