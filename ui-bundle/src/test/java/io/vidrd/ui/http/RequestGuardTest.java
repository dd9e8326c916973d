package io.vidrd.ui.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

class RequestGuardTest {

    /** A request with a remote address, headers and query parameters, nothing else. */
    private static HttpServletRequest request(String remote, Map<String, String> headers, Map<String, String> params) {
        return (HttpServletRequest) Proxy.newProxyInstance(RequestGuardTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getRemoteAddr": return remote;
                        case "getHeader": return headers.get((String) args[0]);
                        case "getParameter": return params.get((String) args[0]);
                        case "getQueryString": return params.isEmpty() ? null : "q";
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    @Test
    void loopbackHostAcceptsOnlyLocalCallersNamingALocalHost() {
        RequestGuard g = new RequestGuard("127.0.0.1", "");
        assertDoesNotThrow(() -> g.checkOrigin(request("127.0.0.1", Map.of("Host", "localhost:8080"), Map.of())));
        assertDoesNotThrow(() -> g.checkOrigin(request("0:0:0:0:0:0:0:1", Map.of("Host", "[::1]:8080"), Map.of())));
        assertEquals(403, assertThrows(HttpError.class,
                () -> g.checkOrigin(request("192.168.1.7", Map.of("Host", "127.0.0.1:8080"), Map.of()))).status());
        assertEquals(403, assertThrows(HttpError.class,
                () -> g.checkOrigin(request("127.0.0.1", Map.of("Host", "rebound.example:8080"), Map.of()))).status());
        RequestGuard open = new RequestGuard("0.0.0.0", "");
        assertDoesNotThrow(() -> open.checkOrigin(request("192.168.1.7", Map.of("Host", "box:8080"), Map.of())));
    }

    @Test
    void tokenFromHeaderOrQuery() {
        RequestGuard g = new RequestGuard("127.0.0.1", "s3cret");
        assertDoesNotThrow(() -> g.checkToken(request("127.0.0.1", Map.of("Authorization", "Bearer s3cret"), Map.of())));
        assertDoesNotThrow(() -> g.checkToken(request("127.0.0.1", Map.of(), Map.of("access_token", "s3cret"))));
        assertEquals(401, assertThrows(HttpError.class, () -> g.checkToken(request("127.0.0.1", Map.of(), Map.of()))).status());
        assertEquals(401, assertThrows(HttpError.class,
                () -> g.checkToken(request("127.0.0.1", Map.of("Authorization", "Bearer s3cre"), Map.of()))).status());
        assertDoesNotThrow(() -> new RequestGuard("127.0.0.1", "").checkToken(request("127.0.0.1", Map.of(), Map.of())));
    }
}
