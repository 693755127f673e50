package net.ctracker.partial;

import java.util.List;
import java.util.Objects;

import net.ctracker.swarm.InfoHash;

/**
 * The partial trackers' messages: plain data, carried as the payload of overlay DIRECT messages
 * (application type {@value TrackerCodec#APP_TYPE}) between nodes that know each other. Routing is
 * done here, hop by hop, so that records and queries for many swarms going the same way share one
 * message. Records name their origin by an index into the message's {@code origins} table.
 */
public sealed interface TrackerMessage {

    Kind kind();

    /** Wire tags; never renumber. */
    enum Kind {
        PUBLISH(1), REPLICATE(2), GET_PEERS(3), PEERS(4), DIGEST(5), INSPECT(6), INSPECT_REPLY(7), COORDINATES(8);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * One peer record. A removal ({@code removed}) carries no peer id (empty) and no TTL.
     *
     * @param endpoint   compact address and port, 6 or 18 bytes
     * @param ttlSeconds time left before the record expires, as the sender saw it
     * @param origin     index into the message's origins
     * @param refresh    nothing changed but the expiry (a re-announce): it may travel in a slower batch
     */
    record Entry(byte[] endpoint, byte[] peerId, boolean seeder, boolean completed, boolean removed, int ttlSeconds,
                 int origin, boolean refresh) {
        public Entry {
            Objects.requireNonNull(endpoint);
            Objects.requireNonNull(peerId);
        }

        public Entry(byte[] endpoint, byte[] peerId, boolean seeder, boolean completed, boolean removed, int ttlSeconds,
                     int origin) {
            this(endpoint, peerId, seeder, completed, removed, ttlSeconds, origin, false);
        }
    }

    /** Records of one swarm; {@code hops} travelled so far (loop guard), {@code downloaded} the sender's count (replication). */
    record SwarmRecords(InfoHash infoHash, int hops, long downloaded, List<Entry> records) {
        public SwarmRecords {
            Objects.requireNonNull(infoHash);
            records = List.copyOf(records);
        }
    }

    /** Records travelling hop by hop towards each swarm's root; every hop keeps a partial list. */
    record Publish(List<Origin> origins, List<SwarmRecords> swarms) implements TrackerMessage {
        public Publish {
            origins = List.copyOf(origins);
            swarms = List.copyOf(swarms);
        }

        @Override
        public Kind kind() {
            return Kind.PUBLISH;
        }
    }

    /** How a receiver treats full-list records. */
    enum Mode {
        /** the root's changes, to its replicas */
        DELTA,
        /** a whole list, to a node that has just become a replica */
        FULL,
        /** a whole list, from a node that is no longer the root to the new root */
        HANDOFF,
        /** a replica's list, to a root whose digest differed: merge it and send the result back */
        MERGE
    }

    /** Full-list records between the nodes responsible for a swarm (the root and its replicas). */
    record Replicate(Mode mode, List<Origin> origins, List<SwarmRecords> swarms) implements TrackerMessage {
        public Replicate {
            Objects.requireNonNull(mode);
            origins = List.copyOf(origins);
            swarms = List.copyOf(swarms);
        }

        @Override
        public Kind kind() {
            return Kind.REPLICATE;
        }
    }

    /** One swarm's lookup; {@code numwant} 0 with {@code needCounts} asks for the swarm's counts only. */
    record Query(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder, int hops) {
        public Query {
            Objects.requireNonNull(infoHash);
        }
    }

    /** Lookups travelling towards the roots; the first node that holds enough answers {@code requester} directly. */
    record GetPeers(Origin requester, List<Query> queries) implements TrackerMessage {
        public GetPeers {
            Objects.requireNonNull(requester);
            queries = List.copyOf(queries);
        }

        @Override
        public Kind kind() {
            return Kind.GET_PEERS;
        }
    }

    /**
     * An answer: a sample of the swarm's records ({@code hasPeers}; it may be empty), and its counts
     * when the answerer holds the full list ({@code hasCounts}). A counts-only answer has no sample.
     * The counts are of the peers announced anywhere but at the requester, which adds its own.
     * Records from {@code uniformFrom} on are a uniform sample of the swarm; those before it were
     * chosen for their closeness to the requester.
     */
    record Answer(InfoHash infoHash, boolean hasPeers, boolean hasCounts, int seeders, int leechers, long downloaded,
                  List<Entry> records, int uniformFrom) {
        public Answer {
            Objects.requireNonNull(infoHash);
            records = List.copyOf(records);
            if (uniformFrom < 0 || uniformFrom > records.size()) {
                throw new IllegalArgumentException("uniformFrom out of range");
            }
        }

        public Answer(InfoHash infoHash, boolean hasPeers, boolean hasCounts, int seeders, int leechers, long downloaded,
                      List<Entry> records) {
            this(infoHash, hasPeers, hasCounts, seeders, leechers, downloaded, records, 0);
        }
    }

    record Peers(List<Origin> origins, List<Answer> answers) implements TrackerMessage {
        public Peers {
            origins = List.copyOf(origins);
            answers = List.copyOf(answers);
        }

        @Override
        public Kind kind() {
            return Kind.PEERS;
        }
    }

    /** Count and order-free hash of a full list's live records, to find replicas that drifted. */
    record DigestEntry(InfoHash infoHash, int count, long hash) {
        public DigestEntry {
            Objects.requireNonNull(infoHash);
        }
    }

    record Digest(List<DigestEntry> entries) implements TrackerMessage {
        public Digest {
            entries = List.copyOf(entries);
        }

        @Override
        public Kind kind() {
            return Kind.DIGEST;
        }
    }

    /** Operator's question: who holds this swarm? Routed towards the root ({@code routed}) or sent to one node. */
    record Inspect(long requestId, Origin requester, InfoHash infoHash, int hops, boolean routed) implements TrackerMessage {
        public Inspect {
            Objects.requireNonNull(requester);
            Objects.requireNonNull(infoHash);
        }

        @Override
        public Kind kind() {
            return Kind.INSPECT;
        }
    }

    /** What one holder has of a swarm. */
    enum Role {
        ROOT, REPLICA, PATH, NONE
    }

    /** Peers of a swarm announced at one node, as its root counts them. */
    record OriginCount(int origin, int seeders, int leechers) {
    }

    /**
     * A holder's answer to {@link Inspect}. The root adds its replica holders and, from its full
     * list, how many of the swarm's peers announced at each node ({@code byOrigin}, indexes into
     * {@code origins}; {@code replicas} too).
     */
    record InspectReply(long requestId, InfoHash infoHash, Role role, int seeders, int leechers, long downloaded,
                        List<Origin> origins, List<Integer> replicas, List<OriginCount> byOrigin) implements TrackerMessage {
        public InspectReply {
            Objects.requireNonNull(infoHash);
            Objects.requireNonNull(role);
            origins = List.copyOf(origins);
            replicas = List.copyOf(replicas);
            byOrigin = List.copyOf(byOrigin);
        }

        @Override
        public Kind kind() {
            return Kind.INSPECT_REPLY;
        }
    }

    /** The sender's network coordinate, swapped with a neighbour now and then; {@code replyWanted} asks for the receiver's. */
    record Coordinates(Origin sender, boolean replyWanted) implements TrackerMessage {
        public Coordinates {
            Objects.requireNonNull(sender);
        }

        @Override
        public Kind kind() {
            return Kind.COORDINATES;
        }
    }
}
