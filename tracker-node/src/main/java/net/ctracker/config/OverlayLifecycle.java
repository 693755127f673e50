package net.ctracker.config;

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
import net.ctracker.transport.MessageAuthenticator;
import net.ctracker.overlay.LocalNode;
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

    /** Threads that resolve receivers' names and sweep the replay memory: both may block, neither is frequent. */
    static final int RESOLVER_THREADS = 2;
    /** On shutdown, how long the loop may take to send its goodbyes. */
    static final Duration LEAVE_WAIT = Duration.ofSeconds(1);
    /** On shutdown, how long the goodbyes may take to be acknowledged. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(1);

    private final OverlayProperties properties;
    private final LocalNode local;
    private final MessageAuthenticator authenticator;
    private final OverlayMetrics metrics;
    private final ApplicationContext context;
    private ExecutorScheduler scheduler;
    private ExecutorService resolver;
    private HttpOverlayTransport transport;
    private volatile boolean running;

    OverlayLifecycle(OverlayProperties properties, LocalNode local, MessageAuthenticator authenticator,
                     OverlayMetrics metrics, ApplicationContext context) {
        this.properties = properties;
        this.local = local;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.context = context;
    }

    @Override
    public synchronized void start() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String url = properties.advertisedUrlSet()
                ? HttpOverlayTransport.stripSlash(properties.advertisedUrl()) : "http://127.0.0.1:" + port;
        NodeKey key = NodeKeys.choose(properties, url);
        OverlayConfig config = properties.overlayConfig();
        scheduler = new ExecutorScheduler("overlay-loop", SystemClock.INSTANCE, (thread, error) ->
                log.error("overlay node {}: a task on its event loop failed; the loop carries on", key, error));
        resolver = Executors.newFixedThreadPool(RESOLVER_THREADS, r -> {
            Thread t = new Thread(r, "overlay-resolver");
            t.setDaemon(true);
            return t;
        });
        // the transport's own timeout is only a safety net behind the node's adaptive ones (at most maxRto)
        transport = new HttpOverlayTransport(authenticator, properties.overlay().connectTimeout(),
                Duration.ofMillis(config.timeouts().maxRtoMillis() * 2), resolver, metrics::recordRtt);
        NodeHandle self = new NodeHandle(key, url, properties.region());
        OverlayNode node = new OverlayNode(self, config, scheduler, transport, new SplittableRandom(new SecureRandom().nextLong()));
        local.set(node);
        long window = properties.overlay().replayWindow().toMillis();
        scheduler.schedule(window, new Runnable() {
            @Override
            public void run() {
                // the sweep walks the whole replay memory: off the overlay's loop
                try {
                    resolver.execute(authenticator::expire);
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
        // leave runs on the loop; wait (bounded) until it has handed its goodbyes to the transport,
        // then (drain, bounded) until what was sent is answered
        CompletableFuture<Void> left = node.leave();
        try {
            left.get(LEAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("overlay loop did not finish leaving in time");
        }
        transport.drain(DRAIN_WAIT);
        scheduler.close();
        transport.close();
        resolver.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * One below the public ports' (which are {@link #DEFAULT_PHASE}): on shutdown they stop taking
     * announces first, then the node leaves, sending the changes those announces queued; the
     * internal web server (Spring Boot's phases, far lower) stops after both.
     */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }
}
