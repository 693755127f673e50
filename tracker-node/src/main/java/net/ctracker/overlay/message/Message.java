package net.ctracker.overlay.message;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * Overlay messages: plain data, no references to nodes or state. The sender travels beside the
 * message in an {@link Envelope}. Delivery acknowledgement is the transport's job (the HTTP response
 * to a POST), so a PING needs no explicit reply message: its acknowledgement is the ACK, and every
 * acknowledgement doubles as an RTT sample.
 */
public sealed interface Message {

    /** Short stable name, used for counters and metrics tags. */
    MessageType type();

    /**
     * Calls the visitor's method for this message's type. Every message type implements this, and
     * {@link Visitor} has one method per type, so a new message type does not compile until every
     * visitor (the codec's encoder, the node's dispatcher) handles it: the compile-time exhaustiveness
     * that a pattern-matching switch over this sealed interface gives from Java 21 on.
     */
    <R> R accept(Visitor<R> visitor);

    /** One method per message type; see {@link #accept}. */
    interface Visitor<R> {
        R join(Join m);

        R piggy(Piggy m);

        R joinAck(JoinAck m);

        R joinNack(JoinNack m);

        R update(Update m);

        R ping(Ping m);

        R leafExchange(LeafExchange m);

        R rowExchange(RowExchange m);

        R route(Route m);

        R direct(Direct m);

        R lookup(Lookup m);

        R lookupReply(LookupReply m);
    }

    /** Messages that travel hop by hop towards the root of {@link #key()}. */
    sealed interface Routed extends Message {
        NodeKey key();

        int hops();
    }

    /** A joiner asks to enter; routed from a bootstrap node towards the joiner's own key. */
    record Join(NodeHandle joiner, int hops) implements Routed {
        public Join {
            Objects.requireNonNull(joiner);
        }

        @Override
        public NodeKey key() {
            return joiner.key();
        }

        public Join nextHop() {
            return new Join(joiner, hops + 1);
        }

        @Override
        public MessageType type() {
            return MessageType.JOIN;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.join(this);
        }
    }

    /** A hop on the join route sends the joiner the routing-table row they share (PIGGY). */
    record Piggy(int row, List<NodeHandle> entries) implements Message {
        public Piggy {
            entries = List.copyOf(entries);
        }

        @Override
        public MessageType type() {
            return MessageType.PIGGY;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.piggy(this);
        }
    }

    /** The root of the joiner's key accepts it and hands over its leaf set. */
    record JoinAck(List<NodeHandle> leafSet) implements Message {
        public JoinAck {
            leafSet = List.copyOf(leafSet);
        }

        @Override
        public MessageType type() {
            return MessageType.JOIN_ACK;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.joinAck(this);
        }
    }

    /**
     * A join refused for now: a node that saw the joiner's key fail within the grace period
     * ({@code senderJoined} true), or a bootstrap node that has not joined an overlay itself.
     */
    record JoinNack(long retryAfterMillis, boolean senderJoined) implements Message {
        @Override
        public MessageType type() {
            return MessageType.JOIN_NACK;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.joinNack(this);
        }
    }

    /** The sender announces that it has joined ({@code joined}) or is leaving. */
    record Update(boolean joined) implements Message {
        @Override
        public MessageType type() {
            return MessageType.UPDATE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.update(this);
        }
    }

    /**
     * Liveness probe; the transport's acknowledgement is the answer. It also carries notices of
     * nodes the sender (or someone it heard from) found dead, {@code ageMillis} ago, so failures
     * spread to every table without extra messages.
     */
    record Ping(List<Obituary> obituaries) implements Message {
        public Ping {
            obituaries = List.copyOf(obituaries);
        }

        public Ping() {
            this(List.of());
        }

        @Override
        public MessageType type() {
            return MessageType.PING;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.ping(this);
        }
    }

    /** The sender's leaf set; the receiver merges it and, if asked, answers with its own. */
    record LeafExchange(List<NodeHandle> leaves, boolean replyWanted) implements Message {
        public LeafExchange {
            leaves = List.copyOf(leaves);
        }

        @Override
        public MessageType type() {
            return MessageType.LEAF_EXCHANGE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.leafExchange(this);
        }
    }

    /** One row of the sender's routing table; the receiver merges it and, if asked, answers with its own. */
    record RowExchange(int row, List<NodeHandle> entries, boolean replyWanted) implements Message {
        public RowExchange {
            entries = List.copyOf(entries);
        }

        @Override
        public MessageType type() {
            return MessageType.ROW_EXCHANGE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rowExchange(this);
        }
    }

    /** An application message routed to the root of {@code key}; applications see it at every hop. */
    record Route(NodeKey key, NodeHandle origin, int hops, String appType, byte[] payload) implements Routed {
        public Route {
            Objects.requireNonNull(key);
            Objects.requireNonNull(origin);
            Objects.requireNonNull(appType);
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public Route nextHop() {
            return new Route(key, origin, hops + 1, appType, payload);
        }

        @Override
        public MessageType type() {
            return MessageType.ROUTE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.route(this);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Route r && key.equals(r.key) && origin.equals(r.origin) && hops == r.hops
                    && appType.equals(r.appType) && Arrays.equals(payload, r.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, origin, hops, appType, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Route[key=" + key + ", origin=" + origin + ", hops=" + hops + ", appType=" + appType
                    + ", payload=" + payload.length + " bytes]";
        }
    }

    /** An application message sent straight to a known node (e.g. a tracker's answer to a requester). */
    record Direct(String appType, byte[] payload) implements Message {
        public Direct {
            Objects.requireNonNull(appType);
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public MessageType type() {
            return MessageType.DIRECT;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.direct(this);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Direct d && appType.equals(d.appType) && Arrays.equals(payload, d.payload);
        }

        @Override
        public int hashCode() {
            return 31 * appType.hashCode() + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Direct[appType=" + appType + ", payload=" + HexFormat.of().formatHex(payload, 0, Math.min(16, payload.length)) + "]";
        }
    }

    /** Finds the root of {@code key}; each hop appends its key to {@code path}; the root replies to the origin. */
    record Lookup(NodeKey key, NodeHandle origin, long requestId, List<NodeKey> path) implements Routed {
        public Lookup {
            Objects.requireNonNull(key);
            Objects.requireNonNull(origin);
            path = List.copyOf(path);
        }

        @Override
        public int hops() {
            return Math.max(0, path.size() - 1);
        }

        @Override
        public MessageType type() {
            return MessageType.LOOKUP;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.lookup(this);
        }
    }

    /** The root's answer to a {@link Lookup}, sent directly to its origin. */
    record LookupReply(long requestId, NodeHandle root, List<NodeKey> path) implements Message {
        public LookupReply {
            Objects.requireNonNull(root);
            path = List.copyOf(path);
        }

        @Override
        public MessageType type() {
            return MessageType.LOOKUP_REPLY;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.lookupReply(this);
        }
    }

    /** A node found dead {@code ageMillis} before the message was sent. */
    record Obituary(NodeKey key, long ageMillis) {
        public Obituary {
            if (ageMillis < 0) {
                throw new IllegalArgumentException("negative age");
            }
        }
    }
}
