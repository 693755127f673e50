package net.ctracker.locality;

/**
 * Told about ranked answers (a sample of them): the share of handed-out peers from the requester's
 * own region, and the median predicted RTT between the requester's node and the nodes where the
 * handed-out peers announced, beside that of a random choice of as many from the same candidates.
 * Called on announce threads: implementations only count.
 */
public interface LocalityObserver {

    LocalityObserver NONE = (handed, sameRegion, handedRtt, randomRtt) -> { };

    /** @param handedRttMillis @param randomRttMillis NaN when no coordinate was known */
    void answered(int handed, int sameRegion, double handedRttMillis, double randomRttMillis);
}
