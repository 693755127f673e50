package net.ctracker.partial;

import java.util.List;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.partial.TrackerMessage.Role;
import net.ctracker.swarm.InfoHash;

/**
 * What the cluster holds of one swarm, as gathered for an operator: its root's account (null when
 * the root did not answer in time), every holder that answered (root, replicas, nodes on this
 * node's route), and, from the root's full list, how many of the swarm's peers announced at each node.
 */
public record SwarmView(InfoHash infoHash, Holder root, List<Holder> holders, List<LocalCount> announcedAt) {

    public SwarmView {
        holders = List.copyOf(holders);
        announcedAt = List.copyOf(announcedAt);
    }

    /** One holder's account. */
    public record Holder(NodeHandle node, Role role, int seeders, int leechers, long downloaded) {
    }

    /** Peers of the swarm announced at one node, as the root counts them. */
    public record LocalCount(NodeHandle node, int seeders, int leechers) {
    }
}
