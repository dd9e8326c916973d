package io.vidrd.ui.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import javax.servlet.http.HttpServletRequest;

/**
 * Who may talk to the UI. While the UI is meant for this machine only (a loopback host), a
 * request must come from a loopback address and name a local host in its Host header: the
 * second check defeats DNS rebinding, where a web page's own host name is made to resolve to
 * 127.0.0.1. With a token configured, API requests must carry it.
 */
final class RequestGuard {

    private static final Set<String> LOCAL_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean loopbackOnly;
    private final String host;
    private final byte[] token;

    /**
     * @param host the configured host
     * @param token the bearer token, empty for none
     */
    RequestGuard(String host, String token) {
        this.host = host.toLowerCase(Locale.ROOT);
        this.loopbackOnly = isLoopback(host);
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isLoopback(String host) {
        if (LOCAL_NAMES.contains(host.toLowerCase(Locale.ROOT))) {
            return true;
        }
        try {
            // literal addresses only: never a DNS lookup for a configured name
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @return whether a token is required */
    boolean tokenRequired() {
        return token != null;
    }

    /**
     * @param req any request
     * @throws HttpError 403 if a loopback-only UI gets a request from elsewhere
     */
    void checkOrigin(HttpServletRequest req) throws HttpError {
        if (!loopbackOnly) {
            return;
        }
        String remote = req.getRemoteAddr();
        boolean remoteLocal;
        try {
            remoteLocal = remote != null && InetAddress.getByName(remote).isLoopbackAddress();
        } catch (UnknownHostException e) {
            remoteLocal = false;
        }
        String name = hostName(req.getHeader("Host"));
        if (!remoteLocal || !(LOCAL_NAMES.contains(name) || name.equals(host))) {
            throw new HttpError(403, "this UI only answers local requests (configure io.vidrd.ui host to open it)");
        }
    }

    private static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /**
     * @param req an API request
     * @throws HttpError 401 if a token is configured and the request lacks it
     */
    void checkToken(HttpServletRequest req) throws HttpError {
        if (token == null) {
            return;
        }
        String given = null;
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).strip();
        } else if (req.getQueryString() != null) {
            // media elements and EventSource cannot send headers (RFC 6750, section 2.3)
            given = req.getParameter("access_token");
        }
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, given == null ? "a bearer token is required" : "wrong token");
        }
    }
}
