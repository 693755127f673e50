package net.ctracker.swarm;

/**
 * The peers of one info_hash: four lazily created tables (IPv4/IPv6 x seeders/leechers) and the
 * count of completed downloads. Guarded by the store's stripe lock.
 */
final class Swarm {

    final PeerTable[] tables = new PeerTable[4];
    int downloaded;
    /** The tick at which the store last moved this swarm to the end of its stripe's order. */
    int touchedTick;
    /** The tick of its last announce (later than {@link #touchedTick} while a move is owed). */
    int announcedTick;

    static int index(int addressLength, boolean seeder) {
        return (addressLength == 4 ? 0 : 2) + (seeder ? 1 : 0);
    }

    PeerTable table(int addressLength, boolean seeder) {
        return tables[index(addressLength, seeder)];
    }

    PeerTable tableOrCreate(int addressLength, boolean seeder, long seed) {
        int i = index(addressLength, seeder);
        PeerTable t = tables[i];
        if (t == null) {
            t = new PeerTable(addressLength, seed);
            tables[i] = t;
        }
        return t;
    }

    int seeders() {
        return size(1) + size(3);
    }

    int leechers() {
        return size(0) + size(2);
    }

    SwarmCounts counts() {
        return new SwarmCounts(seeders(), leechers(), downloaded);
    }

    int peers() {
        return seeders() + leechers();
    }

    int oldestTick() {
        int oldest = Integer.MAX_VALUE;
        for (PeerTable t : tables) {
            if (t != null) {
                oldest = Math.min(oldest, t.oldestTick());
            }
        }
        return oldest;
    }

    private int size(int i) {
        return tables[i] == null ? 0 : tables[i].size();
    }
}
