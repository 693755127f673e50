package net.ctracker.publicport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.announce.FailureReason;
import net.ctracker.announce.TrackerService;
import net.ctracker.bencode.BencodeWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound HTTP on the public port. Each event-loop thread owns one reply writer and one selection
 * buffer, so a request allocates little beyond its parsed form. A malformed or oversized request
 * gets a bencoded failure and the connection is closed; bodies are discarded unread.
 */
@ChannelHandler.Sharable
final class AnnounceController extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AnnounceController.class);
    private static final byte[] NOT_FOUND = "not found\n".getBytes(StandardCharsets.US_ASCII);

    private final TrackerService service;
    private final Consumer<ChannelHandlerContext> front;

    /** @param front puts, on each new connection, the handlers that go in front of this one (given its context) */
    AnnounceController(TrackerService service, Consumer<ChannelHandlerContext> front) {
        this.service = service;
        this.front = front;
    }

    /**
     * A new connection's pipeline starts with this handler alone; the per-connection ones go in
     * front of it. If that fails (say the TLS pair cannot make a handler), the connection is closed
     * and the reason logged, as Netty's ChannelInitializer did: nothing else would ever close it.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        try {
            front.accept(ctx);
        } catch (RuntimeException e) {
            log.warn("closed a public connection from {}: its handlers could not be set up: {}",
                    ctx.channel().remoteAddress(), e.toString());
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                serve(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            FailureReason reason = cause instanceof TooLongFrameException ? FailureReason.REQUEST_TOO_LARGE
                    : FailureReason.BAD_REQUEST;
            log.debug("refused a malformed request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            service.refuse(reason, (status, body) -> {
                // the client may still be sending: half-close so the reply is not lost to a reset;
                // the decoder discards whatever else arrives, and the idle timeout ends the rest
                ChannelFuture written = write(ctx, false, body.buffer(), body.length(), true);
                written.addListener(f -> {
                    if (ctx.channel() instanceof DuplexChannel duplex) {
                        duplex.shutdownOutput();
                    } else {
                        ctx.close();
                    }
                });
            });
            return;
        }
        InetAddress peer = clientOf(ctx);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        // the reply may come later, from another thread (an answer that waits on other nodes):
        // write() copies the body at once and Netty hands the write to the channel's own loop
        boolean[] replied = new boolean[1];
        try {
            service.handle(request.method().name(), uri, peer, name -> request.headers().get(name), (status, body) -> {
                replied[0] = true;
                if (status == 404) {
                    write(ctx, true, NOT_FOUND, NOT_FOUND.length, keepAlive);
                } else {
                    write(ctx, false, body.buffer(), body.length(), keepAlive);
                }
            });
        } catch (RuntimeException e) {
            // a defect, not bad input: tell the operator, give the client a plain failure
            log.error("announce handler failed for {}", uri.length() > 200 ? uri.substring(0, 200) : uri, e);
            if (!replied[0]) {
                BencodeWriter out = new BencodeWriter();
                AnnounceResponseWriter.failure(out, "internal tracker error");
                write(ctx, false, out.buffer(), out.length(), keepAlive);
            }
        }
    }

    private static ChannelFuture write(ChannelHandlerContext ctx, boolean notFound, byte[] body, int length, boolean keepAlive) {
        ChannelFuture written = ctx.writeAndFlush(HttpResponses.encode(ctx.alloc(), notFound, body, length, keepAlive));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        return written;
    }

    private static InetAddress clientOf(ChannelHandlerContext ctx) {
        return PeerAddresses.unmapped(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("public connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
