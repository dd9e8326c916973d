package io.vidrd.itest.ui;

import io.vidrd.itest.ItestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A real Felix with the engine, the VAE, the media bundle, Felix HTTP Jetty and the web UI, on a
 * free port of 127.0.0.1, configured through Config Admin for the golden model. The tests talk
 * to it only over HTTP (Pax Exam's probe could not carry the HTTP client and browser driver);
 * Config Admin's API is shared with the framework, as the launcher does, to set it up.
 */
final class UiContainer implements AutoCloseable {

    private static final List<String> BUNDLES = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr", "org.apache.felix.configadmin",
            "org.apache.felix.log", "org.apache.felix.metatype", "vidrd-api", "vidrd-runtime-natives-cpu",
            "vidrd-runtime", "vidrd-vae", "vidrd-engine", "vidrd-media", "org.apache.felix.http.servlet-api",
            "org.apache.felix.http.jetty", "vidrd-ui");

    private final Framework framework;
    private final Path storage;
    private final int port;

    private UiContainer(Framework framework, Path storage, int port) {
        this.framework = framework;
        this.storage = storage;
        this.port = port;
    }

    /**
     * Starts the framework and configures the codec, the engine (queue size 1, no grace period)
     * and the UI, then waits until the UI lists the golden engine.
     *
     * @param ui extra UI settings (PID io.vidrd.ui), e.g. a token
     * @return the running container
     * @throws Exception if it does not come up within two minutes
     */
    static UiContainer start(Map<String, Object> ui) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path storage = Files.createTempDirectory("vidrd-ui-it-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.cm;version=1.6.0");
        config.put("org.osgi.service.http.port", Integer.toString(port));
        config.put("org.apache.felix.http.host", "127.0.0.1");
        config.put("felix.log.level", "1");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        fw.init();
        fw.start();
        UiContainer c = new UiContainer(fw, storage, port);
        try {
            List<Bundle> installed = new ArrayList<>();
            for (String name : BUNDLES) {
                Path jar = ItestOptions.bundleDir().resolve(name + ".jar");
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(fw.getBundleContext().installBundle(jar.toUri().toString(), in));
                }
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            String golden = ItestOptions.goldenDir().toString();
            c.configure("io.vidrd.vae.vidrd", Map.of("model.dir", golden));
            c.configure("io.vidrd.engine", Map.of("model.dir", golden, "device", "cpu",
                    "codec.target", "(vidrd.vae.kind=vidrd)", "queue.size", 1, "grace.period.seconds", 0));
            Map<String, Object> uiProps = new HashMap<>(Map.of("host", "127.0.0.1", "port", port));
            uiProps.putAll(ui);
            c.configure("io.vidrd.ui", uiProps);
            c.awaitEngine(ui.containsKey("token") ? "Bearer " + ui.get("token") : null);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    void configure(String pid, Map<String, Object> props) throws Exception {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> t =
                new ServiceTracker<>(framework.getBundleContext(), ConfigurationAdmin.class, null);
        t.open();
        try {
            ConfigurationAdmin admin = t.waitForService(30_000);
            if (admin == null) {
                throw new IllegalStateException("Config Admin did not start");
            }
            Dictionary<String, Object> d = new Hashtable<>(props);
            admin.getConfiguration(pid, "?").update(d);
        } finally {
            t.close();
        }
    }

    private void awaitEngine(String authorization) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(api() + "/engines")).timeout(Duration.ofSeconds(5));
                if (authorization != null) {
                    r.header("Authorization", authorization);
                }
                HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
                last = resp.statusCode() + " " + resp.body();
                if (resp.statusCode() == 200 && resp.body().contains("vidrd.engine.version")
                        && resp.body().contains("\"vidrd.vae.kind\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString(); // Jetty not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the UI did not list the golden engine within 2 minutes; last answer: " + last);
    }

    /** @return the port Jetty listens on */
    int port() {
        return port;
    }

    /** @return e.g. {@code http://127.0.0.1:PORT/vidrd} */
    String page() {
        return "http://127.0.0.1:" + port + "/vidrd";
    }

    /** @return e.g. {@code http://127.0.0.1:PORT/vidrd/api} */
    String api() {
        return page() + "/api";
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(60_000);
        try (Stream<Path> walk = Files.walk(storage)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
