package net.ctracker.announce.udp;

/** Told of every datagram's fate; the metrics binder implements it. Called from any thread. */
public interface UdpObserver {

    UdpObserver NONE = new UdpObserver() {
        @Override
        public void served(int action, boolean error) {
        }

        @Override
        public void malformed(UdpRejection reason) {
        }

        @Override
        public void shed(Shed reason) {
        }
    };

    /** Why a well-formed request got no answer: this node protects itself. */
    enum Shed {
        /** too many answers were waiting on other nodes already */
        OVERLOADED,
        /** the socket's send queue was full */
        UNWRITABLE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A request with a valid header (and connection ID, where one is needed) was answered.
     *
     * @param action {@link UdpTrackerCodec#CONNECT}, {@code ANNOUNCE} or {@code SCRAPE}
     * @param error whether the answer was a BEP 15 error (a refused or malformed request)
     */
    void served(int action, boolean error);

    /** A datagram broke the grammar or failed a check; answered or dropped as the reason says. */
    void malformed(UdpRejection reason);

    void shed(Shed reason);
}
