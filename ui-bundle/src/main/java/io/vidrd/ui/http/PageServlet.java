package io.vidrd.ui.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The page under {@code /vidrd/}: a fixed set of files from this bundle, looked up by exact
 * name. Everything it needs is here (no external scripts, fonts or styles), and the content
 * security policy forbids loading anything from elsewhere.
 */
public final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html;charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript;charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css;charset=utf-8"});
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final transient RequestGuard guard;

    /**
     * @param host the configured host (loopback means local requests only)
     */
    public PageServlet(String host) {
        this.guard = new RequestGuard(host, "");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            guard.checkOrigin(req);
        } catch (HttpError e) {
            resp.sendError(e.status(), e.getMessage());
            return;
        }
        String path = req.getPathInfo();
        if (path == null) { // "/vidrd" without the slash: relative links need it
            resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        String[] file = FILES.get(path);
        if (file == null) {
            resp.sendError(404);
            return;
        }
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setContentType(file[1]);
        try (InputStream in = PageServlet.class.getResourceAsStream("/io/vidrd/ui/static/" + file[0])) {
            if (in == null) {
                resp.sendError(500, "missing resource " + file[0]);
                return;
            }
            in.transferTo(resp.getOutputStream());
        }
    }
}
