package net.ctracker.transport;

/** The HTTP shape of an overlay message: one POST per message to {@link #PATH}. */
public final class OverlayHeaders {

    /** Path under a node's internal base URL. */
    public static final String PATH = "/overlay/v1/message";
    /** Sender's clock, milliseconds since the epoch, covered by the MAC. */
    public static final String TIMESTAMP = "X-CTracker-Timestamp";
    /** Hex HMAC-SHA256 over the timestamp and the body. */
    public static final String SIGNATURE = "X-CTracker-Signature";
    public static final String CONTENT_TYPE = "application/x-ctracker-overlay";

    private OverlayHeaders() {
    }
}
