package io.vidrd.ui;

import io.vidrd.api.VideoEncoder;
import io.vidrd.api.VideoGenerator;
import io.vidrd.ui.http.ApiServlet;
import io.vidrd.ui.http.ApiSettings;
import io.vidrd.ui.http.PageServlet;
import io.vidrd.ui.jobs.JobService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.Optional;
import java.util.stream.Stream;
import javax.servlet.Servlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Registers the page ({@code /vidrd/}) and the REST API ({@code /vidrd/api/}) with the HTTP
 * Whiteboard. The generator and encoder are dynamic, greedy references: engines may come and
 * go (hot swap) without restarting the UI; a new job goes to the highest-ranked generator of
 * the moment. A new configuration restarts the component, which cancels its jobs and deletes
 * their files; so does stopping it.
 */
@Component(name = "io.vidrd.ui", configurationPid = "io.vidrd.ui", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = UiConfiguration.class)
public final class UiComponent {

    private static final System.Logger LOG = System.getLogger(UiComponent.class.getName());
    private static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";
    private static final String NAME = "osgi.http.whiteboard.servlet.name";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VideoGenerator generator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VideoEncoder encoder;

    private final JobService jobs;
    private final Path dataDir;
    private final ServiceRegistration<Servlet> api;
    private final ServiceRegistration<Servlet> page;

    /**
     * @param context this bundle's context
     * @param config the configuration
     * @throws IOException if the bundle's private folder cannot be prepared
     */
    @Activate
    public UiComponent(BundleContext context, UiConfiguration config) throws IOException {
        File data = context.getDataFile("jobs");
        if (data == null) {
            throw new IOException("the framework gives this bundle no private storage");
        }
        dataDir = data.toPath();
        deleteTree(dataDir); // files of an earlier run belong to jobs nobody can reach now
        Files.createDirectories(dataDir);
        jobs = new JobService(() -> Optional.ofNullable(generator), () -> Optional.ofNullable(encoder), dataDir,
                config.max_jobs(), config.max_videos(), config.max_previews());
        ApiSettings limits = new ApiSettings(config.max_body_bytes(), config.max_streams(),
                config.retry_after_seconds(), 15_000);
        api = register(context, ApiServlet.create(jobs, config.host(), config.token(), context, limits),
                "vidrd-api", "/vidrd/api/*");
        page = register(context, new PageServlet(config.host()), "vidrd-page", "/vidrd", "/vidrd/*");
        LOG.log(System.Logger.Level.INFO, "VidRD web UI at http://" + config.host() + ":" + config.port() + "/vidrd/"
                + (config.token().isEmpty() ? "" : " (API token required)"));
    }

    private static ServiceRegistration<Servlet> register(BundleContext context, Servlet servlet, String name,
            String... patterns) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PATTERN, patterns);
        props.put(NAME, name);
        return context.registerService(Servlet.class, servlet, props);
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Servlet> r : new ServiceRegistration[] {page, api}) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        jobs.close();
        try {
            deleteTree(dataDir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + dataDir + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
