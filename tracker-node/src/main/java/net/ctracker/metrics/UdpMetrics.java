package net.ctracker.metrics;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.ctracker.announce.udp.UdpObserver;
import net.ctracker.announce.udp.UdpRejection;
import net.ctracker.announce.udp.UdpTrackerCodec;
import net.ctracker.announce.udp.UdpTrackerProtocol;

/**
 * The UDP tracker's datagram counts (announces and scrapes are also counted, transport-neutrally,
 * by {@link TrackerMetrics}). Tags: {@code type} and {@code outcome} of served requests, the
 * {@code reason} and {@code outcome} (answered or dropped) of malformed datagrams, the {@code reason}
 * for shed ones. Counters are created up front.
 */
public final class UdpMetrics implements UdpObserver {

    private static final String[] TYPES = {"connect", "announce", "scrape"};

    private final Counter[] ok = new Counter[TYPES.length];
    private final Counter[] error = new Counter[TYPES.length];
    private final Map<UdpRejection, Counter> malformed = new EnumMap<>(UdpRejection.class);
    private final Map<Shed, Counter> shed = new EnumMap<>(Shed.class);

    public UdpMetrics(MeterRegistry registry) {
        for (int i = 0; i < TYPES.length; i++) {
            ok[i] = requests(registry, TYPES[i], "ok");
            error[i] = requests(registry, TYPES[i], "error");
        }
        for (UdpRejection r : UdpRejection.values()) {
            malformed.put(r, Counter.builder("ctracker.udp.malformed")
                    .description("UDP datagrams that broke the protocol, by reason; answered with an error only when the connection ID was valid")
                    .tag("reason", r.label()).tag("outcome", r.answered() ? "answered" : "dropped").register(registry));
        }
        for (Shed s : Shed.values()) {
            shed.put(s, Counter.builder("ctracker.udp.shed").description("Well-formed UDP requests dropped to protect the node")
                    .tag("reason", s.label()).register(registry));
        }
    }

    /** Also reports the answers waiting on other nodes. */
    public void bind(MeterRegistry registry, UdpTrackerProtocol protocol) {
        Gauge.builder("ctracker.udp.pending", protocol, UdpTrackerProtocol::pending)
                .description("UDP requests whose answer waits on other nodes").register(registry);
    }

    @Override
    public void served(int action, boolean failed) {
        if (action >= UdpTrackerCodec.CONNECT && action <= UdpTrackerCodec.SCRAPE) {
            (failed ? error : ok)[action].increment();
        }
    }

    @Override
    public void malformed(UdpRejection reason) {
        malformed.get(reason).increment();
    }

    @Override
    public void shed(Shed reason) {
        shed.get(reason).increment();
    }

    private static Counter requests(MeterRegistry registry, String type, String outcome) {
        return Counter.builder("ctracker.udp.requests").description("UDP tracker requests answered, by type and outcome (error: a BEP 15 error reply)")
                .tag("type", type).tag("outcome", outcome).register(registry);
    }
}
