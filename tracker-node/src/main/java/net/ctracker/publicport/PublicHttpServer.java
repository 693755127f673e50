package net.ctracker.publicport;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.EventExecutor;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import net.ctracker.announce.TrackerService;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The public port: a small Netty HTTP/1.1 server that answers {@code /announce} and
 * {@code /scrape} and nothing else. It sits outside the servlet container because the container in
 * front of the announce path sets most of its ceiling (see docs/performance.md). Request lines and
 * headers are capped by the decoder; bodies are never buffered.
 *
 * <p>Per connection it does as little as it can (docs/performance.md has the profile): with epoll
 * each event loop has its own listening socket on the port ({@code SO_REUSEPORT}), so a connection
 * is accepted and served by one thread, with no hand-off or wake-up between threads; the pipeline
 * is an idle timer, Netty's request decoder and {@link AnnounceController}, which writes each
 * response as one buffer (no encoder, no header objects). Only processes of the same user can
 * join a {@code SO_REUSEPORT} group, as Linux enforces.
 */
public final class PublicHttpServer implements PublicPortServer {

    /** Where and how to listen. {@code bindAddress} null or empty listens on every interface. */
    public record Settings(String bindAddress, int port, int workerThreads, int maxRequestLine, int maxHeaderSize,
                           Duration idleTimeout) {
    }

    private final Settings settings;
    private final AnnounceController controller;
    private final TlsFiles tls;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> channels = new ArrayList<>();

    public PublicHttpServer(Settings settings, TrackerService service) {
        this(settings, service, null);
    }

    /** @param tls when not null, every connection is HTTPS with the pair in force when it opens */
    public PublicHttpServer(Settings settings, TrackerService service, TlsFiles tls) {
        this.settings = settings;
        this.controller = new AnnounceController(service);
        this.tls = tls;
    }

    public synchronized void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        workers = new MultiThreadIoEventLoopGroup(settings.workerThreads(), io);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(8192)
                // header values are never echoed; the one read (X-Forwarded-For) is parsed strictly
                .setValidateHeaders(false);
        long idleMillis = settings.idleTimeout().toMillis();
        ChannelInitializer<SocketChannel> pipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(tls.current().newHandler(ch.alloc()));
                }
                ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                        .addLast(new HttpRequestDecoder(decoder))
                        .addLast(controller);
            }
        };
        InetSocketAddress address = settings.bindAddress() == null || settings.bindAddress().isBlank()
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress(), settings.port());
        // an IPv4 address gets an IPv4 socket, not a dual-stack one that maps every peer address
        boolean ipv4 = address.getAddress() instanceof Inet4Address && !address.getAddress().isAnyLocalAddress();
        try {
            if (epoll) {
                // one listening socket per event loop (SO_REUSEPORT): the loop that accepts a
                // connection serves it, so no connection is handed from thread to thread
                InetSocketAddress group = new InetSocketAddress(address.getAddress(), ReusePortGuard.claim(address, false));
                for (EventExecutor executor : workers) {
                    EventLoop loop = (EventLoop) executor;
                    ServerBootstrap bootstrap = new ServerBootstrap()
                            .group(loop, loop)
                            .channelFactory(() -> ipv4 ? new EpollServerSocketChannel(SocketProtocolFamily.INET)
                                    : new EpollServerSocketChannel())
                            .option(ChannelOption.SO_BACKLOG, 4096)
                            .option(EpollChannelOption.SO_REUSEPORT, true)
                            // a connection is handed over once its request has arrived: clients
                            // always speak first, and the loop is not woken for an empty socket
                            .option(EpollChannelOption.TCP_DEFER_ACCEPT, 1)
                            .childHandler(pipeline);
                    channels.add(bootstrap.bind(group).sync().channel());
                }
            } else {
                boss = new MultiThreadIoEventLoopGroup(1, io);
                channels.add(new ServerBootstrap()
                        .group(boss, workers)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .childHandler(pipeline)
                        .bind(address).sync().channel());
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
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
