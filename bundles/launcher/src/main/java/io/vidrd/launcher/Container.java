package io.vidrd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An embedded Apache Felix with the distribution's bundles installed and started. The public API
 * and Config Admin's API are exported by the system bundle from the launcher's class path, so the
 * launcher talks to services with the same classes the bundles use.
 */
final class Container implements AutoCloseable {

    /** Packages the launcher shares with the bundles (their versions are the API's). */
    static final String SYSTEM_PACKAGES_EXTRA = "io.vidrd.api;version=1.0.0,org.osgi.service.cm;version=1.6.0";

    /** Symbolic name of the Config Admin bundle the distribution ships. */
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";

    private final Framework framework;
    private final Path storage;

    private Container(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * @param bundleDirs folders whose {@code *.jar} files are installed, in order
     * @param interactiveShell whether a Gogo shell in the distribution reads the terminal
     * @return the started container
     * @throws IOException if a folder cannot be read
     * @throws BundleException if a bundle does not install or resolve
     */
    static Container start(List<Path> bundleDirs, boolean interactiveShell) throws IOException, BundleException {
        return start(bundleDirs, interactiveShell, Map.of());
    }

    /**
     * Starts the container with its configuration in place before the components' bundles start:
     * Config Admin starts first and receives {@code byPid}, so that components with an optional
     * configuration activate once, with it, instead of activating with their defaults and being
     * restarted when it arrives (the web UI's servlets would vanish for a moment).
     *
     * @param bundleDirs folders whose {@code *.jar} files are installed, in order
     * @param interactiveShell whether a Gogo shell in the distribution reads the terminal
     * @param byPid configuration properties per PID (see {@link #configure})
     * @return the started container
     * @throws IOException if a folder cannot be read or Config Admin refuses the configuration
     * @throws BundleException if a bundle does not install or resolve
     */
    static Container start(List<Path> bundleDirs, boolean interactiveShell, Map<String, Map<String, String>> byPid)
            throws IOException, BundleException {
        Path storage = Files.createTempDirectory("vidrd-felix-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
        config.put("gosh.args", interactiveShell ? "" : "--nointeractive");
        config.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Container.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        framework.start();
        Container container = new Container(framework, storage);
        try {
            container.installAndStart(bundleDirs, byPid);
        } catch (IOException | BundleException | RuntimeException e) {
            container.close();
            throw e;
        }
        return container;
    }

    private void installAndStart(List<Path> bundleDirs, Map<String, Map<String, String>> byPid)
            throws IOException, BundleException {
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Path dir : bundleDirs) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("bundle folder " + dir + " does not exist (is the distribution complete?)");
            }
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
                s.forEach(jars::add);
            }
            jars.sort(Comparator.comparing(Path::toString));
            for (Path jar : jars) {
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(ctx.installBundle(jar.toUri().toString(), in));
                }
            }
        }
        if (!byPid.isEmpty()) {
            for (Bundle b : installed) {
                if (CONFIG_ADMIN.equals(b.getSymbolicName())) {
                    b.start();
                }
            }
            configure(byPid, 10_000);
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.ACTIVE) {
                try {
                    b.start();
                } catch (BundleException e) {
                    // One broken bundle must not take the container down; 'vidrd info' shows its state.
                    System.err.println("vidrd: bundle " + b.getSymbolicName() + " did not start: " + e.getMessage());
                }
            }
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Hands settings to the components through Config Admin (one configuration per PID).
     *
     * @param byPid properties per PID
     * @param timeoutMillis how long to wait for Config Admin
     * @throws IOException if Config Admin is missing or refuses the update
     */
    void configure(Map<String, Map<String, String>> byPid, long timeoutMillis) throws IOException {
        if (byPid.isEmpty()) {
            return;
        }
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(context(), ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = tracker.waitForService(timeoutMillis);
            if (admin == null) {
                throw new IOException("Config Admin did not start within " + timeoutMillis + " ms");
            }
            for (Map.Entry<String, Map<String, String>> e : byPid.entrySet()) {
                Configuration c = admin.getConfiguration(e.getKey(), "?");
                Dictionary<String, Object> props = new Hashtable<>(e.getValue());
                c.update(props);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Config Admin", e);
        } finally {
            tracker.close();
        }
    }

    /**
     * @param objectClass a service interface name
     * @param timeoutMillis how long to wait for the first one
     * @return the references registered after waiting (possibly none)
     */
    List<ServiceReference<?>> awaitServices(String objectClass, long timeoutMillis) {
        return awaitServices(objectClass, null, timeoutMillis);
    }

    /**
     * @param objectClass a service interface name
     * @param propertyFilter an LDAP filter on the service properties, or null
     * @param timeoutMillis how long to wait for the first one
     * @return the matching references registered after waiting (possibly none)
     */
    List<ServiceReference<?>> awaitServices(String objectClass, String propertyFilter, long timeoutMillis) {
        try {
            String byClass = "(" + Constants.OBJECTCLASS + "=" + objectClass + ")";
            Filter filter = context().createFilter(propertyFilter == null ? byClass : "(&" + byClass + propertyFilter + ")");
            ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context(), filter, null);
            tracker.open(true);
            try {
                tracker.waitForService(timeoutMillis);
                ServiceReference<Object>[] refs = tracker.getServiceReferences();
                List<ServiceReference<?>> out = new ArrayList<>();
                if (refs != null) {
                    out.addAll(List.of(refs));
                }
                return out;
            } finally {
                tracker.close();
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(objectClass, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * @param type a service interface the launcher shares with the bundles (the API)
     * @param timeoutMillis how long to wait
     * @param <T> the service type
     * @return the highest-ranked service, if one appeared in time
     */
    <T> java.util.Optional<T> awaitService(Class<T> type, long timeoutMillis) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            return java.util.Optional.ofNullable(tracker.waitForService(timeoutMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } finally {
            tracker.close();
        }
    }

    /** Blocks until the framework stops (the shell's {@code stop 0} or {@code exit}). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (BundleException e) {
            System.err.println("vidrd: framework did not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(storage)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary bundle cache: the OS cleans the temp folder eventually
        }
    }
}
