package io.vidrd.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * {@code vidrd serve}: the container with Felix HTTP Jetty and the web UI, until Ctrl-C. The HTTP
 * and UI bundles live in the distribution's {@code ui/} folder, so only this command opens a port.
 */
final class ServeCommand {

    static final String USAGE = "  serve [--host H] [--port P]  run the web UI and REST API at http://H:P/vidrd/ "
            + "(vidrd.ui.host, default 127.0.0.1; vidrd.ui.port, default 8080) until Ctrl-C";
    static final Set<String> VALUE_OPTIONS = Set.of("host", "port");

    /** Felix HTTP Jetty's framework properties (also its configuration PID org.apache.felix.http). */
    private static final String JETTY_HOST = "org.apache.felix.http.host";
    private static final String JETTY_PORT = "org.osgi.service.http.port";
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";

    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> bundleDirs;

    ServeCommand(PrintStream out, PrintStream err, List<Path> bundleDirs) {
        this.out = out;
        this.err = err;
        this.bundleDirs = bundleDirs;
    }

    int run(Settings settings) throws Exception {
        String host = settings.get(Setting.UI_HOST).orElse("127.0.0.1");
        String port = settings.get(Setting.UI_PORT).orElse("8080");
        // Jetty reads these when its bundle starts, before Config Admin could configure it, so it
        // never listens on its own default (every interface) even for a moment. Felix looks up
        // framework properties it was not given in the system properties.
        System.setProperty(JETTY_HOST, host);
        System.setProperty(JETTY_PORT, port);
        try (Container c = Container.start(bundleDirs, false, settings.byPid())) {
            Thread stopOnCtrlC = new Thread(() -> {
                try {
                    c.context().getBundle(0).stop(); // the UI cancels its jobs as it stops
                    c.awaitStop();
                } catch (BundleException | IllegalStateException | InterruptedException e) {
                    // already stopping
                }
            }, "vidrd-serve-stop");
            Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
            List<ServiceReference<?>> http = c.awaitServices(HTTP_RUNTIME, 30_000);
            if (http.isEmpty()) {
                err.println("vidrd: the HTTP service did not start on " + host + ":" + port + " (is the port in use?)");
                return 1;
            }
            if (settings.get(Setting.MODEL_DIR).isEmpty()) {
                err.println("vidrd: no model directory configured (--model DIR): the UI lists no engine");
            }
            if (!awaitPage(url(host, port), 30_000)) {
                err.println("vidrd: the web UI did not appear at " + url(host, port) + " within 30 s");
                return 1;
            }
            out.println("VidRD web UI: " + url(host, port) + "  (Ctrl-C stops)");
            out.flush();
            c.awaitStop();
            return 0;
        }
    }

    /**
     * The HTTP runtime is up before the UI's servlets are registered with it: the URL is printed
     * only once the page answers (any status but 404: a token may guard it).
     */
    private static boolean awaitPage(String url, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(url).openConnection();
                c.setConnectTimeout(1_000);
                c.setReadTimeout(2_000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status != 404) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    static String url(String host, String port) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return "http://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port + "/vidrd/";
    }
}
