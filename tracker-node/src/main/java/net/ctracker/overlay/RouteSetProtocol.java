package net.ctracker.overlay;

import java.util.List;

import net.ctracker.overlay.message.Message.RowExchange;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.overlay.routing.RoutingTable;

/**
 * Route-set maintenance (Pastry style): routing-table rows are swapped with other nodes so that
 * cells fill and, with proximity neighbour selection, come to hold nearby nodes. Every
 * {@code rowExchangePeriodMillis} each non-empty row is exchanged, at random either with a random
 * entry of that row (diversity) or with the nearest measured node sharing at least that many digits
 * (whose row holds nodes near it, and so near us: this is what brings far-away entries home). While
 * a round admits nothing to the table, rounds are spaced out to every 2, 4, ... up to
 * {@code rowExchangeMaxBackoff} periods; the first admission brings them back to every period.
 * Right after a join each row is swapped once with every entry of it. Entries heard of are only
 * considered ({@link DiscoveryProtocol#consider}). Event-loop state.
 */
final class RouteSetProtocol {

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final DiscoveryProtocol discovery;
    private final FailureDetector failures;
    /** Table admissions seen at the last round; -1 before the first, which counts as growth. */
    private long admissionsAtLastRound = -1;
    private int interval = 1;
    private int roundsToSkip;

    RouteSetProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, DiscoveryProtocol discovery,
                     FailureDetector failures) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.discovery = discovery;
        this.failures = failures;
    }

    void start() {
        ctx.every(ctx.config.routeSets().rowExchangePeriodMillis(), this::exchangeRows);
    }

    private void exchangeRows() {
        if (roundsToSkip > 0) {
            roundsToSkip--;
            return;
        }
        boolean grew = neighbourhood.tableAdmissions() != admissionsAtLastRound;
        interval = grew ? 1 : Math.min(2 * interval, ctx.config.routeSets().rowExchangeMaxBackoff());
        roundsToSkip = interval - 1;
        admissionsAtLastRound = neighbourhood.tableAdmissions();
        RoutingTable table = neighbourhood.table();
        for (int row : table.nonEmptyRows()) {
            List<Neighbour> entries = table.row(row);
            Neighbour partner = ctx.random.nextBoolean() ? nearestSharing(row) : null;
            if (partner == null) {
                partner = entries.get(ctx.random.nextInt(entries.size()));
            }
            sender.post(partner.handle(), new RowExchange(row, neighbourhood.rowWithSelf(row), true));
        }
    }

    /** The measured neighbour with the lowest RTT among those sharing at least {@code row} digits with this node. */
    private Neighbour nearestSharing(int row) {
        Neighbour best = null;
        for (Neighbour n : neighbourhood.all()) {
            if (n.rtt().hasSample() && !failures.avoided(n) && ctx.self.key().sharedPrefixLength(n.key()) >= row
                    && (best == null || n.rtt().srttMillis() < best.rtt().srttMillis())) {
                best = n;
            }
        }
        return best;
    }

    /**
     * Right after a join (two initial RTOs, when the announcements have been answered): swap each row
     * with every entry of that row once. The joiner hears of many proximity candidates at once instead
     * of only those its join path gave, and the entries hear of the joiner and can admit it if it is
     * closer than their worst entry. Without it, the lower rows of nodes that joined last were still
     * poor after two row-exchange periods (p90 stretch 2.62 instead of 2.35 at N = 1,000).
     */
    void sweepAfterJoin() {
        ctx.checkLoop();
        if (ctx.stopped()) {
            return;
        }
        RoutingTable table = neighbourhood.table();
        for (int row : table.nonEmptyRows()) {
            List<NodeHandle> mine = neighbourhood.rowWithSelf(row);
            for (Neighbour partner : table.row(row)) {
                sender.post(partner.handle(), new RowExchange(row, mine, true));
            }
        }
    }

    void received(NodeHandle from, RowExchange m) {
        ctx.checkLoop();
        if (!ctx.joined()) {
            return;
        }
        m.entries().forEach(discovery::consider);
        if (m.replyWanted()) {
            int row = Math.min(m.row(), ctx.self.key().sharedPrefixLength(from.key()));
            if (row < NodeKey.DIGITS) {
                sender.post(from, new RowExchange(row, neighbourhood.rowWithSelf(row), false));
            }
        }
    }
}
