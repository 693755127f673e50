package net.ctracker.publicport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * {@code SO_REUSEPORT} lets every socket of the same user bind a port that already has a
 * reuse-port group, so a second node started on the same port by mistake would silently share the
 * traffic instead of failing. Before binding its group, a server therefore binds the address once
 * without the option: that fails when anyone listens on the port (as a plain bind always did), and
 * for port 0 it picks the free port the group then takes.
 */
final class ReusePortGuard {

    private ReusePortGuard() {
    }

    /** The port the group should bind: {@code address}'s, or a free one when it is 0. */
    static int claim(InetSocketAddress address, boolean udp) {
        try {
            if (udp) {
                try (DatagramSocket probe = new DatagramSocket(null)) {
                    probe.setReuseAddress(false);
                    probe.bind(address);
                    return probe.getLocalPort();
                }
            }
            try (ServerSocket probe = new ServerSocket()) {
                // SO_REUSEADDR still fails against a listening socket, but not against the
                // TIME_WAIT connections a node that closes after each reply leaves on its port:
                // without it a node could not restart on its port for a minute after load
                probe.setReuseAddress(true);
                probe.bind(address);
                return probe.getLocalPort();
            }
        } catch (BindException e) {
            BindException named = new BindException((udp ? "UDP " : "TCP ") + address + " is in use: " + e.getMessage());
            named.initCause(e);
            throw new UncheckedIOException(named);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
