package net.ctracker.overlay;

import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.routing.NodeHandle;

/**
 * Outbound side of the network seam. The HTTP implementation encodes {@code new Envelope(from,
 * message)} with {@link net.ctracker.overlay.message.MessageCodec} and POSTs it to {@code toAddress};
 * the simulator delivers it after a modelled latency.
 *
 * <p>Contract: {@code send} never blocks on the network and never throws (the node only hands it
 * messages within {@link net.ctracker.overlay.message.MessageCodec}'s limits; report anything else
 * through {@link Delivery#failed}). The callback reports at most once:
 * {@link Delivery#acknowledged(long)} when the receiver accepted the message (HTTP: a 2xx response
 * after the receiver handed it to {@link OverlayNode#receive}), {@link Delivery#failed} on a
 * connection error or refusal. The callback may come from any thread, or never (a lost message):
 * the node keeps its own adaptive timeout, so a transport timeout need only be a safety net near
 * the node's maximum RTO.
 *
 * <p>The round trip reported with an acknowledgement is the node's RTT sample (for its timeouts,
 * proximity routing and network coordinates), so it must measure the network: from when the
 * message starts on its way (after any queueing, signing or encoding in the transport) to when the
 * acknowledgement has arrived, as close to the wire as the transport can observe; not the time the
 * message waited in the sender's queues or the callback waits to reach the node's loop.
 *
 * <p>The inbound side is {@link OverlayNode#receive(NodeHandle, Message)}.
 */
public interface Transport {

    void send(NodeHandle from, String toAddress, Message message, Delivery callback);

    /** Outcome of one send. */
    interface Delivery {
        /** The receiver accepted the message; {@code roundTripNanos} is the measured round trip (see {@link Transport}). */
        void acknowledged(long roundTripNanos);

        void failed(String reason);
    }
}
