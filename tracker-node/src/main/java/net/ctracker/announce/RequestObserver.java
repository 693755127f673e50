package net.ctracker.announce;

import net.ctracker.swarm.AnnounceEvent;

/** Told of every public request's outcome and duration; the metrics binder implements it. */
public interface RequestObserver {

    RequestObserver NONE = new RequestObserver() {
        @Override
        public void announced(AnnounceEvent event, long nanos) {
        }

        @Override
        public void announceFailed(AnnounceEvent eventOrNull, FailureReason reason, long nanos) {
        }

        @Override
        public void scraped(long nanos) {
        }

        @Override
        public void scrapeFailed(FailureReason reason, long nanos) {
        }

        @Override
        public void rejected(FailureReason reason) {
        }
    };

    void announced(AnnounceEvent event, long nanos);

    /** @param eventOrNull null when the request was refused before its event could be read */
    void announceFailed(AnnounceEvent eventOrNull, FailureReason reason, long nanos);

    void scraped(long nanos);

    void scrapeFailed(FailureReason reason, long nanos);

    /** A request refused before it reached announce or scrape (bad HTTP, oversized, wrong method). */
    void rejected(FailureReason reason);

    /** An info hash was checked against the access list (only when one is configured). */
    default void accessChecked(boolean permitted) {
    }
}
