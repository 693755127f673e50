package net.ctracker.publicport;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.util.ReferenceCountUtil;
import net.ctracker.announce.udp.UdpObserver;
import net.ctracker.announce.udp.UdpTrackerCodec;
import net.ctracker.announce.udp.UdpTrackerProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP tracker port (BEP 15): Netty datagram sockets that hand every datagram to
 * {@link UdpTrackerProtocol} and send what it answers. With epoll there is one socket per event-loop
 * thread on the same port ({@code SO_REUSEPORT}, the kernel spreads clients over them), each read
 * in batches ({@code recvmmsg}) and each batch of replies flushed at once ({@code sendmmsg}).
 *
 * <p>The receive path is bounded: the kernel's socket buffer ({@code receiveBufferBytes}) is the
 * only queue in front of the tracker, and when it is full the kernel drops datagrams, so load is
 * shed rather than queued; a reply that finds the send queue full is dropped and counted. Nothing
 * per request stays on a Netty thread: an answer that comes later from another thread is written
 * from that thread.
 */
public final class UdpTrackerServer implements PublicPortServer {

    private static final Logger log = LoggerFactory.getLogger(UdpTrackerServer.class);
    /** Datagrams read per recvmmsg call. */
    private static final int BATCH = 16;
    /** Read buffer per datagram: one byte more than the largest request, so an oversized one shows. */
    private static final int DATAGRAM_BUFFER = UdpTrackerCodec.MAX_REQUEST_LENGTH + 1;

    /** Where to listen. {@code bindAddress} null or empty listens on every interface, IPv4 and IPv6. */
    public record Settings(String bindAddress, int port, int threads, int receiveBufferBytes) {
    }

    private static final ThreadLocal<byte[]> REQUESTS = ThreadLocal.withInitial(() -> new byte[DATAGRAM_BUFFER]);

    private final Settings settings;
    private final UdpTrackerProtocol protocol;
    private final UdpObserver observer;
    private EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    public UdpTrackerServer(Settings settings, UdpTrackerProtocol protocol, UdpObserver observer) {
        this.settings = settings;
        this.protocol = protocol;
        this.observer = observer;
    }

    public synchronized void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int sockets = epoll ? Math.max(1, settings.threads()) : 1;
        group = new MultiThreadIoEventLoopGroup(sockets, io);
        ChannelInitializer<Channel> perSocket = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Handler());
            }
        };
        InetSocketAddress address = settings.bindAddress() == null || settings.bindAddress().isBlank()
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress(), settings.port());
        // an IPv4 address gets an IPv4 socket; no address, one dual-stack socket for both families
        SocketProtocolFamily family = address.getAddress() instanceof Inet4Address && !address.getAddress().isAnyLocalAddress()
                ? SocketProtocolFamily.INET : null;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> epoll ? (family == null ? new EpollDatagramChannel() : new EpollDatagramChannel(family))
                        : (family == null ? new NioDatagramChannel() : new NioDatagramChannel(family)))
                .option(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 512 * 1024))
                .handler(perSocket);
        if (epoll) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_BUFFER)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER * BATCH));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER));
        }
        try {
            InetSocketAddress bound = epoll ? new InetSocketAddress(address.getAddress(), ReusePortGuard.claim(address, true)) : address;
            for (int i = 0; i < sockets; i++) {
                channels.add(bootstrap.bind(bound).sync().channel());
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The port bound (useful when configured as 0). */
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
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    /** One per socket, so {@code reading} is confined to the socket's event loop. */
    private final class Handler extends ChannelInboundHandlerAdapter {

        /** Inside a read batch: replies written now are flushed together at its end. */
        private boolean reading;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket packet)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            Channel channel = ctx.channel();
            reading = true;
            InetSocketAddress sender = packet.sender();
            int length;
            byte[] data = REQUESTS.get();
            try {
                ByteBuf content = packet.content();
                length = content.readableBytes();
                content.getBytes(content.readerIndex(), data, 0, Math.min(length, data.length));
            } finally {
                packet.release();
            }
            try {
                protocol.receive(data, length, PeerAddresses.unmapped(sender.getAddress()), sender.getPort(),
                        (reply, n) -> send(channel, sender, reply, n, this));
            } catch (RuntimeException e) {
                // a defect, not bad input: tell the operator; the client gets nothing and retries
                log.error("UDP request from port {} failed", sender.getPort(), e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            reading = false;
            ctx.flush(); // one sendmmsg for the batch just read
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("UDP socket error: {}", cause.toString());
        }
    }

    private void send(Channel channel, InetSocketAddress to, byte[] reply, int length, Handler handler) {
        if (!channel.isWritable()) {
            observer.shed(UdpObserver.Shed.UNWRITABLE);
            return;
        }
        DatagramPacket packet = new DatagramPacket(channel.alloc().directBuffer(length).writeBytes(reply, 0, length), to);
        if (channel.eventLoop().inEventLoop() && handler.reading) {
            channel.write(packet, channel.voidPromise()); // flushed with the batch
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
    }
}
