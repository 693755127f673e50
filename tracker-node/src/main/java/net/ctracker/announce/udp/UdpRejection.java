package net.ctracker.announce.udp;

import java.util.Locale;

/**
 * Why a datagram was not served normally. {@link #answered()} says whether the client gets a BEP 15
 * error: only when it proved its address with a valid connection ID, so that a spoofed source can
 * never make this tracker send anything larger than what it received. The label tags the metric.
 */
public enum UdpRejection {
    SOURCE_PORT_ZERO(false),
    TOO_SHORT(false),
    TOO_LARGE(false),
    BAD_PROTOCOL_ID(false),
    BAD_CONNECTION_ID(false),
    UNKNOWN_ACTION(true),
    TRUNCATED_ANNOUNCE(true),
    BAD_OPTION(true),
    BAD_SCRAPE_LENGTH(true);

    private final boolean answered;

    UdpRejection(boolean answered) {
        this.answered = answered;
    }

    public boolean answered() {
        return answered;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
