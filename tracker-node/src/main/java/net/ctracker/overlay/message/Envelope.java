package net.ctracker.overlay.message;

import java.util.Objects;

import net.ctracker.overlay.routing.NodeHandle;

/** A message with its immediate sender: the unit the transport carries and the codec encodes. */
public record Envelope(NodeHandle from, Message message) {
    public Envelope {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(message, "message");
    }
}
