package net.ctracker.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.ctracker.time.Clock;
import net.ctracker.time.LogGap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the operator's page and the admin API ({@code /admin/*} on the internal port): every
 * response gets a strict Content-Security-Policy (the page loads its own files only), and when a
 * password is set, a request without the right HTTP Basic credential gets 401 with a problem body
 * and nothing else. The comparison takes the same time whatever the guess. Refusals are logged
 * at most once every {@value #LOG_GAP_MILLIS} ms. Actuator and overlay messages never pass here.
 */
public class AdminAccessFilter implements Filter {

    static final long LOG_GAP_MILLIS = 10_000;
    static final String REALM = "CTracker admin";
    /** The page's own files only: no inline script, no other origin, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Logger log = LoggerFactory.getLogger(AdminAccessFilter.class);

    private final byte[] expected;
    private final Clock clock;
    private final LogGap refusedLog = new LogGap(LOG_GAP_MILLIS);

    /** @param password null or empty: no credential asked */
    public AdminAccessFilter(String username, String password, Clock clock) {
        this.expected = password == null || password.isEmpty() ? null
                : ("Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.US_ASCII);
        this.clock = clock;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (expected != null && !matches(request.getHeader("Authorization"))) {
            refused(request);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                    + "\"detail\":\"the admin page and API ask for the operator's credential (ctracker.admin.username and password)\","
                    + "\"instance\":\"" + jsonSafe(request.getRequestURI()) + "\"}");
            return;
        }
        chain.doFilter(req, res);
    }

    private boolean matches(String authorization) {
        byte[] given = authorization == null ? new byte[0] : authorization.trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    private void refused(HttpServletRequest request) {
        if (request.getHeader("Authorization") == null) {
            return; // a browser's first request before it asks the operator: not worth a line
        }
        long skipped = refusedLog.admit(clock.nowMillis());
        if (skipped >= 0) {
            log.warn("refused a wrong admin credential from {} for {}{}", request.getRemoteAddr(), request.getRequestURI(),
                    LogGap.since(skipped));
        }
    }

    private static String jsonSafe(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : (s.length() > 200 ? s.substring(0, 200) : s).toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}
