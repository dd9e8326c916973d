package io.vidrd.itest;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.vidrd.api.VideoGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Test-time engine versions: the engine bundle the build made, copied with another
 * {@code Bundle-Version} (same code, as a new release of the same engine would be), and helpers
 * to configure and await them. Used by the hot-swap and leak tests.
 */
final class EngineVersions {

    /** The documented reason a replaced engine's jobs are cancelled with. */
    static final String REPLACED = "engine stopped: replaced by version ";

    private EngineVersions() {}

    /**
     * @param qualifier the new version's qualifier, e.g. {@code v2} for {@code 1.0.0.v2}
     * @return the jar (under the build's bundle folder; rewritten when the engine was rebuilt)
     * @throws IOException if it cannot be written
     */
    static Path engineJar(String qualifier) throws IOException {
        Path source = ItestOptions.bundleDir().resolve("vidrd-engine.jar");
        Path target = ItestOptions.bundleDir().resolve("vidrd-engine-1.0.0." + qualifier + ".jar");
        if (Files.isRegularFile(target)
                && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return target; // already made from this build's engine
        }
        Path tmp = Files.createTempFile(ItestOptions.bundleDir(), "engine", ".tmp");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(source))) {
            Manifest mf = new Manifest(in.getManifest());
            mf.getMainAttributes().put(new Attributes.Name(Constants.BUNDLE_VERSION), "1.0.0." + qualifier);
            try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(os, mf)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** @return the stream of a jar, for {@code Bundle.update} */
    static InputStream open(Path jar) throws IOException {
        return Files.newInputStream(jar);
    }

    /**
     * Configures the engine: the shared PID, or with {@code version} the targeted PID of that
     * bundle version only.
     */
    static void configureEngine(ConfigurationAdmin ca, String version, int ranking, int graceSeconds)
            throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("model.dir", ItestOptions.goldenDir().toString());
        props.put("device", "cpu");
        props.put("grace.period.seconds", graceSeconds);
        props.put("service.ranking", ranking);
        props.put("queue.size", 8);
        String pid = version == null ? "io.vidrd.engine" : "io.vidrd.engine|io.vidrd.engine|" + version;
        ca.getConfiguration(pid, "?").update(props);
    }

    static void configureVae(ConfigurationAdmin ca) throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("model.dir", ItestOptions.goldenDir().toString());
        ca.getConfiguration("io.vidrd.vae.vidrd", "?").update(props);
    }

    /** @return the version of the highest-ranked VideoGenerator, or null */
    static String topVersion(BundleContext context) {
        ServiceReference<VideoGenerator> ref = context.getServiceReference(VideoGenerator.class);
        return ref == null ? null : String.valueOf(ref.getProperty(VideoGenerator.PROP_ENGINE_VERSION));
    }

    /** Waits until the highest-ranked VideoGenerator has {@code version}. */
    static void awaitTop(BundleContext context, String version, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!version.equals(topVersion(context))) {
            assertTrue("engine " + version + " not on top within " + millis + " ms (top: " + topVersion(context) + ")",
                    System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until no engine drain thread is left (old engines have released their models). */
    static void awaitDrained(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("vidrd-engine-drain-"))) {
            assertTrue("engines still draining after " + millis + " ms", System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
    }

    static <T> T service(BundleContext context, Class<T> type, long millis) throws InterruptedException {
        org.osgi.util.tracker.ServiceTracker<T, T> t = new org.osgi.util.tracker.ServiceTracker<>(context, type, null);
        t.open();
        try {
            T s = t.waitForService(millis);
            assertNotNull(type.getSimpleName() + " not registered", s);
            return s;
        } finally {
            t.close();
        }
    }
}
