package net.ctracker.publicport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import net.ctracker.announce.TrackerService;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The public port: a small Netty HTTP/1.1 server that answers {@code /announce} and
 * {@code /scrape} and nothing else. It sits outside the servlet container because the container in
 * front of the announce path sets most of its ceiling (see docs/performance.md). Request lines and
 * headers are capped by the decoder; bodies are never buffered.
 */
public final class PublicHttpServer implements AutoCloseable {

    /** Where and how to listen. {@code bindAddress} null or empty listens on every interface. */
    public record Settings(String bindAddress, int port, int workerThreads, int maxRequestLine, int maxHeaderSize,
                           Duration idleTimeout) {
    }

    private final Settings settings;
    private final AnnounceController controller;
    private final TlsFiles tls;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

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
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(settings.workerThreads(), io);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(8192);
        long idleMillis = settings.idleTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.current().newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(decoder))
                                .addLast(controller);
                    }
                });
        InetSocketAddress address = settings.bindAddress() == null || settings.bindAddress().isBlank()
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress(), settings.port());
        channel = bootstrap.bind(address).sync().channel();
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public synchronized boolean isRunning() {
        return channel != null && channel.isOpen();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss = null;
            workers = null;
        }
    }
}
