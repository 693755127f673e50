package net.ctracker.publicport;

import java.util.Locale;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * How the public HTTP(S) port does its I/O ({@code ctracker.http.transport}). {@link #AUTO} takes
 * io_uring where the kernel (and a container's seccomp profile) allows it, else epoll, else NIO.
 * io_uring and epoll give each event loop its own listening socket ({@code SO_REUSEPORT}) with
 * deferred accept; NIO has one acceptor thread that hands connections to the loops. io_uring
 * measured about 5% less CPU per one-request connection than epoll (docs/performance.md).
 */
public enum HttpTransport {
    AUTO, IO_URING, EPOLL, NIO;

    /** The value as {@code ctracker.http.transport} takes it and the logs show it: {@code io_uring}, {@code epoll}... */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport to use: this one, or for {@link #AUTO} the best available. */
    public HttpTransport resolve() {
        if (this == NIO) {
            return NIO; // the way round native transports: probe none
        }
        return resolve(this == EPOLL || IoUring.isAvailable() ? null : IoUring.unavailabilityCause(),
                this == IO_URING || Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
    }

    /** As {@link #resolve()}, given why io_uring and epoll are unavailable (null: available). */
    HttpTransport resolve(Throwable noIoUring, Throwable noEpoll) {
        return switch (this) {
            case AUTO -> noIoUring == null ? IO_URING : noEpoll == null ? EPOLL : NIO;
            case IO_URING -> require(noIoUring == null, noIoUring);
            case EPOLL -> require(noEpoll == null, noEpoll);
            case NIO -> NIO;
        };
    }

    private HttpTransport require(boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException("ctracker.http.transport=" + value()
                    + " is not available here: " + cause + " (auto picks what is)", cause);
        }
        return this;
    }

    /** Whether each event loop listens on its own socket of one {@code SO_REUSEPORT} group. */
    boolean socketPerLoop() {
        return this == IO_URING || this == EPOLL;
    }

    IoHandlerFactory ioHandlers() {
        return switch (check()) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    /**
     * A listener's channel and options. With a socket per loop, the loop is handed a connection
     * once its request has arrived ({@code TCP_DEFER_ACCEPT}): clients always speak first, and the
     * loop is not woken for an empty socket.
     *
     * @param ipv4 an IPv4 socket rather than a dual-stack one, where the transport can open one
     */
    void configure(ServerBootstrap bootstrap, boolean ipv4) {
        bootstrap.option(ChannelOption.SO_BACKLOG, 4096);
        switch (check()) {
            case IO_URING -> bootstrap.channel(IoUringServerSocketChannel.class)
                    .option(UnixChannelOption.SO_REUSEPORT, true)
                    .option(IoUringChannelOption.TCP_DEFER_ACCEPT, 1);
            case EPOLL -> bootstrap.channelFactory((ChannelFactory<ServerChannel>) () -> ipv4
                            ? new EpollServerSocketChannel(SocketProtocolFamily.INET) : new EpollServerSocketChannel())
                    .option(UnixChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.TCP_DEFER_ACCEPT, 1);
            default -> bootstrap.channel(NioServerSocketChannel.class);
        }
    }

    private HttpTransport check() {
        if (this == AUTO) {
            throw new IllegalStateException("resolve() the transport first");
        }
        return this;
    }
}
