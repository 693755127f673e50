package net.ctracker.overlay.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import net.ctracker.overlay.Transport;
import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.NodeHandle;

/**
 * The simulated network, the sim's {@link Transport}: a message reaches its target after half the
 * modelled RTT (plus any extra delay), the acknowledgement returns after the other half and reports
 * that round trip as its measurement. Lost
 * messages and lost acknowledgements produce no callback at all, so the sender's own timeout
 * decides, as with a silent host over HTTP.
 *
 * <p>Fault switches: dead hosts (see {@link SimHost#kill}), partitions (hosts in different groups
 * cannot reach each other), extra one-way delay, and a drop probability per direction. With
 * {@link #codecCheck} on, every message goes through {@link MessageCodec} both ways and its size is counted.
 */
public final class SimNetwork implements Transport {

    private final Simulator sim;
    private final LatencyModel latency;
    private final SplittableRandom random;
    private final Map<String, SimHost> hosts = new HashMap<>();
    private double dropProbability;
    private long extraDelayMillis;
    private boolean partitioned;
    private boolean codecCheck;
    private long messages;
    private long bytes;
    private long lost;

    public SimNetwork(Simulator sim, LatencyModel latency) {
        this.sim = sim;
        this.latency = latency;
        this.random = sim.random().split();
    }

    void register(SimHost host) {
        hosts.put(host.handle().address(), host);
    }

    public LatencyModel latency() {
        return latency;
    }

    public void dropProbability(double p) {
        dropProbability = p;
    }

    public void extraDelayMillis(long d) {
        extraDelayMillis = d;
    }

    public void codecCheck(boolean on) {
        codecCheck = on;
    }

    /** Hosts in different groups cannot reach each other until {@link #heal()}. */
    public void partitioned(boolean on) {
        partitioned = on;
    }

    public void heal() {
        partitioned = false;
    }

    public long messages() {
        return messages;
    }

    public long bytes() {
        return bytes;
    }

    public long lost() {
        return lost;
    }

    public void resetCounts() {
        messages = 0;
        bytes = 0;
        lost = 0;
    }

    public double rttMillis(SimHost a, SimHost b) {
        return latency.rttMillis(a.id(), b.id());
    }

    @Override
    public void send(NodeHandle from, String toAddress, Message message, Delivery callback) {
        SimHost source = hosts.get(from.address());
        SimHost target = hosts.get(toAddress);
        messages++;
        Message carried = message;
        NodeHandle sender = from;
        if (codecCheck) {
            byte[] body = MessageCodec.encode(new Envelope(from, message));
            bytes += body.length;
            Envelope decoded = MessageCodec.decode(body);
            if (!decoded.message().equals(message) || !decoded.from().equals(from)) {
                throw new AssertionError("codec round trip changed " + message);
            }
            carried = decoded.message();
            sender = decoded.from();
        }
        if (source == null || target == null || !reachable(source, target) || dropped()) {
            lost++;
            return;
        }
        long oneWay = oneWayMillis(source, target);
        Message delivered = carried;
        NodeHandle deliveredFrom = sender;
        long sentAt = sim.now();
        sim.after(oneWay, target, () -> {
            if (!target.node().receive(deliveredFrom, delivered) || !reachable(target, source) || dropped()) {
                lost++;
                return;
            }
            // the modelled round trip (both one-way delays, extra delay included), as HTTP would measure it
            sim.after(oneWayMillis(target, source), source,
                    () -> callback.acknowledged((sim.now() - sentAt) * 1_000_000L));
        });
    }

    private boolean reachable(SimHost a, SimHost b) {
        return a.alive() && b.alive() && (!partitioned || a.group() == b.group());
    }

    private boolean dropped() {
        return dropProbability > 0 && random.nextDouble() < dropProbability;
    }

    private long oneWayMillis(SimHost a, SimHost b) {
        return Math.max(1, Math.round(latency.rttMillis(a.id(), b.id()) / 2)) + extraDelayMillis;
    }
}
