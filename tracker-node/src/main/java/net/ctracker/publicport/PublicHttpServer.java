package net.ctracker.publicport;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import net.ctracker.announce.TrackerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port: a small Netty HTTP/1.1 server that answers {@code /announce} and
 * {@code /scrape} and nothing else. It sits outside the servlet container because the container in
 * front of the announce path sets most of its ceiling (see docs/performance.md). Request lines and
 * headers are capped by the decoder; bodies are never buffered.
 *
 * <p>Per connection it does as little as it can (docs/performance.md has the profile): with io_uring
 * or epoll ({@link HttpTransport}) each event loop has its own listening socket on the port
 * ({@code SO_REUSEPORT}), so a connection is accepted and served by one thread, with no hand-off or
 * wake-up between threads; the pipeline is an idle timer, Netty's request decoder and
 * {@link AnnounceController}, which writes each response as one buffer (no encoder, no header
 * objects) and sets the pipeline up itself, with named handlers (no initializer to add and remove,
 * no generated names). Only processes of the same user can join a {@code SO_REUSEPORT} group, as
 * Linux enforces.
 */
public final class PublicHttpServer implements PublicPortServer {

    /** Where and how to listen. {@code bindAddress} null or empty listens on every interface. */
    public record Settings(String bindAddress, int port, int workerThreads, int maxRequestLine, int maxHeaderSize,
                           Duration idleTimeout, HttpTransport transport) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PublicHttpServer.class);

    private final Settings settings;
    private final TrackerService service;
    private final TlsFiles tls;
    private final Function<HttpTransport, IoHandlerFactory> ioHandlers;
    private HttpTransport transport;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> channels = new ArrayList<>();

    public PublicHttpServer(Settings settings, TrackerService service) {
        this(settings, service, null);
    }

    /** @param tls when not null, every connection is HTTPS with the pair in force when it opens */
    public PublicHttpServer(Settings settings, TrackerService service, TlsFiles tls) {
        this(settings, service, tls, HttpTransport::ioHandlers);
    }

    /** @param ioHandlers each transport's I/O handlers (tests stand in a failing one) */
    PublicHttpServer(Settings settings, TrackerService service, TlsFiles tls, Function<HttpTransport, IoHandlerFactory> ioHandlers) {
        this.settings = settings;
        this.service = service;
        this.tls = tls;
        this.ioHandlers = ioHandlers;
    }

    public synchronized void start() throws InterruptedException {
        HttpTransport chosen = settings.transport().resolve();
        try {
            start(chosen);
        } catch (RuntimeException e) {
            // auto found io_uring, but its event loops' rings could not be made (a kernel that
            // counts them against a small memlock limit, say): epoll then, as if io_uring were absent
            boolean portTaken = e instanceof UncheckedIOException u && u.getCause() instanceof BindException;
            if (settings.transport() != HttpTransport.AUTO || chosen != HttpTransport.IO_URING || portTaken) {
                throw e;
            }
            HttpTransport next = HttpTransport.AUTO.resolve(e, Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
            LOG.warn("public port {}: io_uring is offered but failed to start ({}); using {}", settings.port(), e.toString(),
                    next.value());
            start(next);
        }
    }

    private void start(HttpTransport chosen) throws InterruptedException {
        try {
            bind(chosen);
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void bind(HttpTransport chosen) throws InterruptedException {
        transport = chosen;
        IoHandlerFactory io = ioHandlers.apply(transport);
        workers = new MultiThreadIoEventLoopGroup(settings.workerThreads(), io);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(8192)
                // header values are never echoed; the one read (X-Forwarded-For) is parsed strictly
                .setValidateHeaders(false);
        long idleMillis = settings.idleTimeout().toMillis();
        // the controller is the handler every connection starts with; in front of it, per
        // connection, it puts TLS (when on), the idle timer and the decoder: one pipeline change
        // each, without the initializer Netty's ChannelInitializer adds and removes again
        AnnounceController controller = new AnnounceController(service, ctx -> {
            ChannelPipeline pipe = ctx.pipeline();
            if (tls != null) {
                pipe.addBefore(ctx.name(), "tls", tls.current().newHandler(ctx.alloc()));
            }
            pipe.addBefore(ctx.name(), "idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                    .addBefore(ctx.name(), "http", new HttpRequestDecoder(decoder));
        });
        InetSocketAddress address = settings.bindAddress() == null || settings.bindAddress().isBlank()
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress(), settings.port());
        // an IPv4 address gets an IPv4 socket where the transport can open one (epoll), not a
        // dual-stack one; either way the controller sees IPv4 peers as IPv4 (PeerAddresses.unmapped)
        boolean ipv4 = address.getAddress() instanceof Inet4Address && !address.getAddress().isAnyLocalAddress();
        if (transport.socketPerLoop()) {
            // one listening socket per event loop (SO_REUSEPORT): the loop that accepts a
            // connection serves it, so no connection is handed from thread to thread
            InetSocketAddress group = new InetSocketAddress(address.getAddress(), ReusePortGuard.claim(address, false));
            for (EventExecutor executor : workers) {
                EventLoop loop = (EventLoop) executor;
                ServerBootstrap bootstrap = new ServerBootstrap().group(loop, loop).childHandler(controller);
                transport.configure(bootstrap, ipv4);
                channels.add(bootstrap.bind(group).sync().channel());
            }
        } else {
            boss = new MultiThreadIoEventLoopGroup(1, io);
            ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).childHandler(controller);
            transport.configure(bootstrap, ipv4);
            channels.add(bootstrap.bind(address).sync().channel());
        }
    }

    /** The transport in use once started (never {@link HttpTransport#AUTO}). */
    public synchronized HttpTransport transport() {
        return transport;
    }

    @Override
    public synchronized String io() {
        return transport == null ? "" : transport.value() + ", " + settings.workerThreads() + " event loops";
    }

    /** The port actually bound (useful when configured as 0). */
    public synchronized int port() {
        return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
    }

    public synchronized boolean isRunning() {
        return !channels.isEmpty() && channels.get(0).isOpen();
    }

    @Override
    public synchronized void close() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        channels.clear();
        for (EventLoopGroup group : new EventLoopGroup[] {boss, workers}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        boss = null;
        workers = null;
    }
}
