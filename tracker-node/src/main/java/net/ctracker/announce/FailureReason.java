package net.ctracker.announce;

import java.util.Locale;

/**
 * Why a client's request was refused. The label tags the error metric (a closed set, so low
 * cardinality); the message, with detail, goes back as the bencoded {@code failure reason}.
 */
public enum FailureReason {
    MISSING_INFO_HASH("missing info_hash"),
    INVALID_INFO_HASH("info_hash must be 20 bytes"),
    REPEATED_INFO_HASH("info_hash given more than once"),
    MISSING_PEER_ID("missing peer_id"),
    INVALID_PEER_ID("peer_id must be 20 bytes"),
    MISSING_PORT("missing port"),
    INVALID_PORT("port must be a number from 1 to 65535"),
    INVALID_NUMBER("not a non-negative decimal number"),
    INVALID_NUMWANT("numwant must be a non-negative number"),
    UNKNOWN_EVENT("unknown event"),
    MALFORMED_QUERY("malformed percent-encoding"),
    TOO_MANY_INFO_HASHES("too many info_hash values in one scrape"),
    FULL_SCRAPE_DISABLED("full scrape is disabled: name at least one info_hash"),
    REQUEST_TOO_LARGE("request line or headers too long"),
    BAD_REQUEST("malformed HTTP request"),
    METHOD_NOT_ALLOWED("only GET is supported"),
    INFO_HASH_NOT_ALLOWED("torrent not served by this tracker (its info_hash is not allowed here)"),
    UNKNOWN_PATH("unknown path: announce to /announce");

    private final String message;

    FailureReason(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /** The metric tag value: lower-case, underscores. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
