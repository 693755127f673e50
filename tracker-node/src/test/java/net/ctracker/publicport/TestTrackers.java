package net.ctracker.publicport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.announce.RequestObserver;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.TrustedNetworks;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmStore;

/** The small tracker the public port's socket tests serve: a real store and service, tiny caps. */
final class TestTrackers {

    private TestTrackers() {
    }

    /** 10 swarms of at most 10 peers, interval 60 s, numwant 50 by default. */
    static TrackerService small() {
        return new TrackerService(
                new SwarmStore(new StoreLimits(Duration.ofMinutes(1), 10, 10, 100), () -> 0L, new SplittableRandom(1)),
                new TrackerService.Settings(new AnnounceResponseWriter.ReplySettings(60, 30, "t".getBytes(StandardCharsets.US_ASCII), null),
                        50, 200, 64, false, TrustedNetworks.none()), RequestObserver.NONE, System::nanoTime);
    }
}
