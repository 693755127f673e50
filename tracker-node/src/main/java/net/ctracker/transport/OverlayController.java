package net.ctracker.transport;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import net.ctracker.overlay.LocalNode;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.message.MessageFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inbound overlay messages on the internal port. The signature is checked over the raw body before
 * anything is decoded; a request without a valid signature gets 401 and changes nothing. The body
 * is read up to the codec's limit and no further. A 2xx reply is the sender's acknowledgement.
 */
@RestController
public class OverlayController {

    private static final Logger log = LoggerFactory.getLogger(OverlayController.class);

    private final LocalNode local;
    private final MessageAuthenticator authenticator;

    public OverlayController(LocalNode local, MessageAuthenticator authenticator) {
        this.local = local;
        this.authenticator = authenticator;
    }

    @PostMapping(OverlayHeaders.PATH)
    public ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MessageCodec.MAX_BODY_BYTES) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "an overlay message is at most " + MessageCodec.MAX_BODY_BYTES + " bytes");
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MessageCodec.MAX_BODY_BYTES + 1);
        }
        if (body.length > MessageCodec.MAX_BODY_BYTES) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "an overlay message is at most " + MessageCodec.MAX_BODY_BYTES + " bytes");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(String.valueOf(request.getHeader(OverlayHeaders.TIMESTAMP)));
        } catch (NumberFormatException e) {
            return problem(HttpStatus.UNAUTHORIZED, "missing or malformed " + OverlayHeaders.TIMESTAMP);
        }
        MessageAuthenticator.Verdict verdict = authenticator
                .verify(timestamp, request.getHeader(OverlayHeaders.SIGNATURE), body);
        switch (verdict) {
            case ACCEPTED -> { }
            case OVERLOADED -> {
                return problem(HttpStatus.SERVICE_UNAVAILABLE, "too many messages in the replay window");
            }
            default -> {
                log.warn("refused an overlay message from {}: {} (is ctracker.cluster-secret the same on every node, and are clocks in sync?)",
                        request.getRemoteAddr(), verdict);
                return problem(HttpStatus.UNAUTHORIZED, "overlay message refused: " + verdict.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        Envelope envelope;
        try {
            envelope = MessageCodec.decode(body);
        } catch (MessageFormatException e) {
            log.warn("malformed overlay message from {}: {}", request.getRemoteAddr(), e.getMessage());
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        OverlayNode node = local.node();
        if (node == null) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "this node is still starting");
        }
        if (!node.receive(envelope)) {
            // not acknowledged: to the sender an acknowledgement is proof that this node is alive
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "this node is leaving or has left the overlay");
        }
        return ResponseEntity.noContent().build();
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
