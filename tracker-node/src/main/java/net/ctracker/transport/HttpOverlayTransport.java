package net.ctracker.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import net.ctracker.overlay.Transport;
import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.NodeHandle;

/**
 * Overlay messages over HTTP: each message is one signed POST of its binary envelope to the
 * receiver's internal port; a 2xx reply is the acknowledgement. Never blocks the caller (the
 * node's event loop): the request is sent asynchronously and the callback fires from the client's
 * executor. The request timeout is only a safety net; the node keeps its own adaptive timeouts.
 */
public final class HttpOverlayTransport implements Transport {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpOverlayTransport.class);

    private final HttpClient client;
    private final Executor executor;
    private final MessageAuthenticator authenticator;
    private final Duration requestTimeout;
    private final BiConsumer<Message, Long> rttObserver;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param rttObserver told the HTTP round-trip time in nanoseconds of each acknowledged message
     */
    public HttpOverlayTransport(MessageAuthenticator authenticator, Duration connectTimeout, Duration requestTimeout,
                                Executor executor, BiConsumer<Message, Long> rttObserver) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
        this.executor = executor;
        this.authenticator = authenticator;
        this.requestTimeout = requestTimeout;
        this.rttObserver = rttObserver;
    }

    /**
     * Hands the message to the transport's executor at once: signing, and name resolution inside
     * the HTTP client, never run on the caller's thread (the node's event loop).
     */
    @Override
    public void send(NodeHandle from, String toAddress, Message message, Delivery callback) {
        // in flight from now on, not only once the executor gets to it: drain() must wait for it
        CompletableFuture<Void> settled = new CompletableFuture<>();
        inFlight.add(settled);
        settled.whenComplete((v, e) -> inFlight.remove(settled));
        try {
            executor.execute(() -> post(from, toAddress, message, callback, settled));
        } catch (RejectedExecutionException e) {
            settled.complete(null);
            callback.failed("transport is shut down");
        }
    }

    private void post(NodeHandle from, String toAddress, Message message, Delivery callback,
                      CompletableFuture<Void> settled) {
        HttpRequest request;
        try {
            byte[] body = MessageCodec.encode(new Envelope(from, message));
            MessageAuthenticator.Signature signature = authenticator.sign(body);
            request = HttpRequest.newBuilder(URI.create(stripSlash(toAddress) + OverlayHeaders.PATH))
                    .timeout(requestTimeout)
                    .header("Content-Type", OverlayHeaders.CONTENT_TYPE)
                    .header(OverlayHeaders.TIMESTAMP, Long.toString(signature.timestampMillis()))
                    .header(OverlayHeaders.SIGNATURE, signature.mac())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (RuntimeException e) {
            settled.complete(null);
            callback.failed("cannot send to " + toAddress + ": " + e.getMessage());
            return;
        }
        long start = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            settled.complete(null);
            if (error != null) {
                String reason = error.getClass().getSimpleName() + " " + error.getMessage();
                log.debug("{} to {} failed: {}", message.type(), toAddress, reason);
                callback.failed(reason);
            } else if (response.statusCode() / 100 != 2) {
                log.debug("{} to {} refused: HTTP {}", message.type(), toAddress, response.statusCode());
                callback.failed("HTTP " + response.statusCode() + " from " + toAddress);
            } else {
                long roundTrip = System.nanoTime() - start;
                rttObserver.accept(message, roundTrip);
                callback.acknowledged(roundTrip);
            }
        });
    }

    /** Waits, at most {@code timeout}, for messages already sent to be answered (a polite shutdown). */
    public void drain(Duration timeout) {
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("stopped waiting for {} overlay messages in flight", inFlight.size());
        }
    }

    /** A base URL without its trailing slash, as node addresses are kept. */
    public static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
