package net.ctracker.transport;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import net.ctracker.overlay.Transport;
import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.NodeHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overlay messages over HTTP/1.1: each message is one signed POST of its binary envelope to the
 * receiver's internal port, on a kept-alive connection; a 2xx reply is the acknowledgement.
 *
 * <p>The round trip it reports is measured on the one I/O thread that writes the request and reads
 * the reply: from just before the request is written on an open connection to the arrival of the
 * status line. Connecting, signing, name resolution and every queue before or after (the node's
 * loop, thread hand-offs) are outside it, so on loopback it reads what the network and the
 * receiver take (about a millisecond), not the 6-30 ms that timing the whole hand-off chain from
 * the node's loop through {@code java.net.http.HttpClient} gave (docs/overlay.md, "RTT samples").
 *
 * <p>Never blocks the caller (the node's event loop): the message is handed to the transport's I/O
 * thread at once; encoding and signing run there, name resolution on {@code resolver}. One request
 * at a time per connection (no pipelining); idle connections are kept per receiver, at most
 * {@link #MAX_IDLE_PER_PEER}, and closed after {@link #IDLE_TIMEOUT}. A request that fails on a
 * reused connection before any reply byte arrived (the receiver closed it meanwhile) is retried
 * once on a new connection. The request timeout is only a safety net; the node keeps its own
 * adaptive timeouts. All connection state is confined to the I/O thread: no locks.
 */
public final class HttpOverlayTransport implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpOverlayTransport.class);

    /**
     * Idle connections are closed after this: below Tomcat's keep-alive timeout (60 s unless
     * {@code server.tomcat.keep-alive-timeout} says otherwise), so the sender, not the receiver,
     * closes a quiet connection, and a message is rarely written onto one the receiver is closing.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(45);
    /**
     * Idle connections kept per receiver: a node sends to one neighbour a few messages at a time
     * (a probe, a row exchange, a routed message); more than this at once are rare bursts.
     */
    public static final int MAX_IDLE_PER_PEER = 4;

    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("ctracker.overlay.exchange");
    private static final AttributeKey<String> ADDRESS = AttributeKey.valueOf("ctracker.overlay.address");

    private final MessageAuthenticator authenticator;
    private final Executor resolver;
    private final long requestTimeoutMillis;
    private final BiConsumer<Message, Long> rttObserver;
    private final EventLoopGroup group;
    private final EventLoop io;
    private final Bootstrap bootstrap;
    /** Idle connections by receiver address, most recently used first; touched on {@link #io} only. */
    private final Map<String, Deque<Channel>> idle = new HashMap<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param resolver    resolves receivers' host names (may block; never the I/O thread)
     * @param rttObserver told the measured round trip in nanoseconds of each acknowledged message
     */
    public HttpOverlayTransport(MessageAuthenticator authenticator, Duration connectTimeout, Duration requestTimeout,
                                Executor resolver, BiConsumer<Message, Long> rttObserver) {
        this.authenticator = authenticator;
        this.resolver = resolver;
        this.requestTimeoutMillis = requestTimeout.toMillis();
        this.rttObserver = rttObserver;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("overlay-http", true), factory);
        this.io = group.next();
        this.bootstrap = new Bootstrap()
                .group(io)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new HttpClientCodec())
                                .addLast(new ReplyHandler());
                    }
                });
    }

    /** One message on its way: the request, where its outcome goes, and how far it got. */
    private final class Exchange {
        final String address;
        final InetSocketAddress target;
        final Message message;
        final Delivery callback;
        final CompletableFuture<Void> settled;
        FullHttpRequest request;
        boolean reused;
        boolean retried;
        boolean replyStarted;
        long writtenAtNanos;
        ScheduledFuture<?> timeout;

        Exchange(String address, InetSocketAddress target, Message message, Delivery callback, CompletableFuture<Void> settled) {
            this.address = address;
            this.target = target;
            this.message = message;
            this.callback = callback;
            this.settled = settled;
        }

        /** Reports the outcome once; the request's buffer is released. */
        void finish(boolean ok, long roundTripNanos, String reason) {
            if (settled.isDone()) {
                return;
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (request != null) {
                request.release(); // the exchange's own reference; writes hold their own
            }
            settled.complete(null);
            if (ok) {
                rttObserver.accept(message, roundTripNanos);
                callback.acknowledged(roundTripNanos);
            } else {
                log.debug("{} to {} failed: {}", message.type(), address, reason);
                callback.failed(reason);
            }
        }
    }

    @Override
    public void send(NodeHandle from, String toAddress, Message message, Delivery callback) {
        // in flight from now on, not only once the I/O thread gets to it: drain() must wait for it
        CompletableFuture<Void> settled = new CompletableFuture<>();
        inFlight.add(settled);
        settled.whenComplete((v, e) -> inFlight.remove(settled));
        String address = stripSlash(toAddress);
        try {
            io.execute(() -> start(from, address, message, callback, settled));
        } catch (RejectedExecutionException e) {
            settled.complete(null);
            callback.failed("transport is shut down");
        }
    }

    private void start(NodeHandle from, String address, Message message, Delivery callback, CompletableFuture<Void> settled) {
        Exchange ex;
        try {
            URI uri = URI.create(address);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http base URL");
            }
            InetSocketAddress target = InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
            ex = new Exchange(address, target, message, callback, settled);
            byte[] body = MessageCodec.encode(new Envelope(from, message));
            MessageAuthenticator.Signature signature = authenticator.sign(body);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, OverlayHeaders.PATH,
                    Unpooled.wrappedBuffer(body));
            request.headers()
                    .set(HttpHeaderNames.HOST, uri.getAuthority())
                    .set(HttpHeaderNames.CONTENT_TYPE, OverlayHeaders.CONTENT_TYPE)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(OverlayHeaders.TIMESTAMP, Long.toString(signature.timestampMillis()))
                    .set(OverlayHeaders.SIGNATURE, signature.mac());
            ex.request = request;
        } catch (RuntimeException e) {
            settled.complete(null);
            callback.failed("cannot send to " + address + ": " + e.getMessage());
            return;
        }
        ex.timeout = io.schedule(() -> timedOut(ex), requestTimeoutMillis, TimeUnit.MILLISECONDS);
        Channel ch = takeIdle(address);
        if (ch != null) {
            write(ch, ex, true);
        } else {
            connect(ex);
        }
    }

    private Channel takeIdle(String address) {
        Deque<Channel> channels = idle.get(address);
        while (channels != null && !channels.isEmpty()) {
            Channel ch = channels.pollFirst();
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    private void connect(Exchange ex) {
        try {
            resolver.execute(() -> {
                InetSocketAddress resolved = new InetSocketAddress(ex.target.getHostString(), ex.target.getPort());
                io.execute(() -> {
                    if (ex.settled.isDone()) {
                        return;
                    }
                    if (resolved.isUnresolved()) {
                        ex.finish(false, 0, "cannot resolve " + ex.target.getHostString());
                        return;
                    }
                    ChannelFuture connecting = bootstrap.connect(resolved);
                    connecting.addListener(f -> {
                        if (f.isSuccess()) {
                            write(connecting.channel(), ex, false);
                        } else {
                            ex.finish(false, 0, "cannot connect to " + ex.address + ": " + f.cause());
                        }
                    });
                });
            });
        } catch (RejectedExecutionException e) {
            ex.finish(false, 0, "transport is shut down"); // connect() runs on the I/O thread
        }
    }

    private void write(Channel ch, Exchange ex, boolean reused) {
        ch.attr(ADDRESS).set(ex.address);
        if (ex.settled.isDone()) {
            release(ch);
            return;
        }
        ex.reused = reused;
        ex.replyStarted = false;
        ch.attr(EXCHANGE).set(ex);
        ex.request.retain(); // this write's reference, released by Netty once written; the exchange keeps its own for a retry
        ex.writtenAtNanos = System.nanoTime();
        ch.writeAndFlush(ex.request).addListener(f -> {
            if (!f.isSuccess()) {
                Exchange current = ch.attr(EXCHANGE).getAndSet(null);
                ch.close();
                if (current == ex) {
                    retryOrFail(ex, "write failed: " + f.cause());
                }
            }
        });
    }

    /** A request that died on a reused connection before any reply (the receiver closed it meanwhile): once more on a fresh one. */
    private void retryOrFail(Exchange ex, String reason) {
        if (ex.reused && !ex.replyStarted && !ex.retried && !ex.settled.isDone()) {
            ex.retried = true;
            connect(ex);
        } else {
            ex.finish(false, 0, reason);
        }
    }

    private void timedOut(Exchange ex) {
        ex.finish(false, 0, "no answer within " + requestTimeoutMillis + " ms");
    }

    /** A connection whose exchange is over goes back to the idle set of its receiver, or is closed. */
    private void release(Channel ch) {
        ch.attr(EXCHANGE).set(null);
        String address = ch.attr(ADDRESS).get();
        if (!ch.isActive() || address == null) {
            ch.close();
            return;
        }
        Deque<Channel> channels = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_PEER) {
            ch.close();
        } else {
            channels.addFirst(ch);
        }
    }

    private void forgetIdle(Channel ch) {
        String address = ch.attr(ADDRESS).get();
        Deque<Channel> channels = address == null ? null : idle.get(address);
        if (channels != null) {
            channels.remove(ch);
            if (channels.isEmpty()) {
                idle.remove(address);
            }
        }
    }

    /** Reads replies on the I/O thread: the status line is the acknowledgement, the rest is discarded. */
    private final class ReplyHandler extends SimpleChannelInboundHandler<HttpObject> {
        private boolean keepAlive;
        private boolean inReply;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            Exchange ex = ctx.channel().attr(EXCHANGE).get();
            if (msg instanceof HttpResponse response) {
                long roundTrip = ex == null ? 0 : System.nanoTime() - ex.writtenAtNanos;
                keepAlive = HttpUtil.isKeepAlive(response);
                inReply = true;
                if (ex != null) {
                    ex.replyStarted = true;
                    int status = response.status().code();
                    if (status / 100 == 2) {
                        ex.finish(true, roundTrip, null);
                    } else {
                        log.debug("{} to {} refused: HTTP {}", ex.message.type(), ex.address, status);
                        ex.finish(false, 0, "HTTP " + status + " from " + ex.address);
                    }
                }
            }
            if (msg instanceof LastHttpContent && inReply) {
                inReply = false;
                if (keepAlive && ex != null) {
                    release(ctx.channel());
                } else {
                    ctx.channel().attr(EXCHANGE).set(null);
                    ctx.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            forgetIdle(ctx.channel());
            Exchange ex = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (ex != null) {
                retryOrFail(ex, "connection closed by " + ex.address);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent && ctx.channel().attr(EXCHANGE).get() == null) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange ex = ctx.channel().attr(EXCHANGE).getAndSet(null);
            ctx.close();
            if (ex != null) {
                retryOrFail(ex, cause.getClass().getSimpleName() + " " + cause.getMessage());
            }
        }
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

    /** Closes every connection and stops the I/O thread; messages not yet answered fail. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A base URL without its trailing slash, as node addresses are kept. */
    public static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
