package net.ctracker.overlay;

import java.util.function.DoubleConsumer;

import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.time.Cancellable;

/**
 * Every message a node sends goes through here: an adaptive timeout (the neighbour's RTO, else the
 * initial RTO, or a given one), counters by type, and the outcome back on the event loop, at most
 * once. An acknowledgement is an RTT sample (the transport's measurement): it updates the
 * neighbour's estimate and is told to the {@link RttListener}.
 *
 * <p>A <em>tracked</em> send is one to a neighbour whose silence matters: a miss makes it a suspect
 * (see {@link FailureDetector}), and a tracked send to a node that is no neighbour (any more)
 * counts as its failure (a candidate that does not answer its probe is remembered as removed). An
 * untracked send (answers to joiners and lookups, verification probes, re-probes of removed nodes,
 * goodbyes) removes nobody when it fails.
 */
final class Sender {

    /** Where a missed acknowledgement of a tracked send goes. */
    interface Misses {
        /** A neighbour missed an acknowledgement; {@code then} runs once the verdict allows. */
        void suspect(NodeHandle neighbour, Runnable then);

        /** A tracked send to a node that is no neighbour failed: remember it as failed. */
        void failed(NodeHandle node);
    }

    private static final DoubleConsumer NO_ACK = rtt -> { };
    private static final Runnable NO_FAIL = () -> { };

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Transport transport;
    private final Misses misses;
    /** Set from any thread, read on the loop. */
    private volatile RttListener rttListener = RttListener.NONE;

    Sender(NodeContext ctx, Neighbourhood neighbourhood, Transport transport, Misses misses) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.transport = transport;
        this.misses = misses;
    }

    void rttListener(RttListener listener) {
        rttListener = listener == null ? RttListener.NONE : listener;
    }

    /** Tracked send to a neighbour; {@code onAck} gets the RTT in milliseconds. */
    void send(NodeHandle to, Message message, DoubleConsumer onAck, Runnable onFail) {
        send(to, true, to.address(), message, 0, onAck, onFail);
    }

    /** Tracked send without callbacks: the acknowledgement still samples the RTT. */
    void post(NodeHandle to, Message message) {
        send(to, message, NO_ACK, NO_FAIL);
    }

    /** Untracked send to a known node; {@code timeoutMillis} 0 means the initial RTO. */
    void sendUntracked(NodeHandle to, Message message, long timeoutMillis, DoubleConsumer onAck, Runnable onFail) {
        send(to, false, to.address(), message, timeoutMillis, onAck, onFail);
    }

    void postUntracked(NodeHandle to, Message message) {
        sendUntracked(to, message, 0, NO_ACK, NO_FAIL);
    }

    /** Untracked send to a bare address (a bootstrap node, whose key is not known yet). */
    void sendToAddress(String address, Message message, DoubleConsumer onAck, Runnable onFail) {
        send(null, false, address, message, 0, onAck, onFail);
    }

    private void send(NodeHandle peer, boolean tracked, String address, Message message, long timeoutMillis,
                      DoubleConsumer onAck, Runnable onFail) {
        ctx.checkLoop();
        if (ctx.stopped()) {
            return;
        }
        ctx.counters.sent(message.type());
        Neighbour n = tracked ? neighbourhood.get(peer.key()) : null;
        long rto = timeoutMillis > 0 ? timeoutMillis : n != null ? n.rtt().rtoMillis() : ctx.config.timeouts().initialRtoMillis();
        Attempt attempt = new Attempt(peer, tracked, message, onAck, onFail);
        attempt.timer = ctx.after(rto, () -> attempt.finish(false, 0));
        transport.send(ctx.self, address, message, attempt);
    }

    /** One outstanding send. Transport callbacks may arrive on any thread; they are posted to the loop. */
    private final class Attempt implements Transport.Delivery {
        private final NodeHandle peer;
        private final boolean tracked;
        private final Message message;
        private final DoubleConsumer onAck;
        private final Runnable onFail;
        private Cancellable timer = Cancellable.NONE;
        private boolean done;

        Attempt(NodeHandle peer, boolean tracked, Message message, DoubleConsumer onAck, Runnable onFail) {
            this.peer = peer;
            this.tracked = tracked;
            this.message = message;
            this.onAck = onAck;
            this.onFail = onFail;
        }

        @Override
        public void acknowledged(long roundTripNanos) {
            ctx.post(() -> finish(true, roundTripNanos));
        }

        @Override
        public void failed(String reason) {
            ctx.post(() -> finish(false, 0));
        }

        void finish(boolean ok, long roundTripNanos) {
            ctx.checkLoop();
            if (done || ctx.stopped()) {
                return;
            }
            done = true;
            timer.cancel();
            Neighbour n = tracked ? neighbourhood.get(peer.key()) : null;
            if (ok) {
                ctx.counters.acknowledged(message.type());
                double rtt = Math.max(0, roundTripNanos) / 1e6;
                if (n != null) {
                    n.acknowledged(ctx.now(), rtt);
                }
                if (peer != null) {
                    rttListener.sampled(peer, rtt);
                }
                onAck.accept(rtt);
            } else {
                ctx.counters.failed(message.type());
                if (n != null) {
                    n.unacknowledged();
                    misses.suspect(peer, onFail);
                    return;
                }
                if (tracked) {
                    misses.failed(peer);
                }
                onFail.run();
            }
        }
    }
}
