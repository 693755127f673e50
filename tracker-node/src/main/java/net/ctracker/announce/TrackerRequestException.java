package net.ctracker.announce;

/** A client request that cannot be served; answered with a bencoded {@code failure reason}. */
public final class TrackerRequestException extends RuntimeException {

    private final FailureReason reason;

    public TrackerRequestException(FailureReason reason) {
        this(reason, reason.message());
    }

    public TrackerRequestException(FailureReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
