package io.vidrd.engine.osgi;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vidrd.api.EngineInfo;
import io.vidrd.api.VideoGenerator;
import io.vidrd.engine.model.EngineModel;
import io.vidrd.engine.model.ModelDefaults;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.DeviceMemory;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.weights.WeightStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
 * The engine's Declarative Services component. It loads the configured model when activated and
 * only then registers a {@link VideoGenerator}; without a usable model it logs one error saying
 * what is wrong and registers nothing. Weights come from the runtime's {@link WeightStore}, so a
 * new engine version or a reconfigured engine reads nothing from disk that another engine
 * already loaded. The latent codec is a dynamic, greedy reference whose target
 * ({@code codec.target}) can be changed through Config Admin; each job uses the codec bound when
 * it starts.
 *
 * <h2>Stopping and hot swap</h2>
 * When deactivated (bundle stopped, uninstalled or updated, configuration changed or deleted)
 * the engine unregisters its service at once and drains in the background, so a
 * {@code Bundle.update} is not held up:
 * <ul>
 *   <li>queued jobs never run on the old engine: they are cancelled as soon as the replacement is
 *       known (at the latest when the grace period ends);
 *   <li>the running job finishes if it ends within {@code grace.period.seconds}, otherwise it is
 *       cancelled within one denoising step;
 *   <li>cancelled jobs report {@value ReplacementWatch#REPLACED}{@code X}, X being the version the
 *       bundle was updated to or the version of the highest-ranked other {@link VideoGenerator}
 *       ({@code engine stopped: vidrd V was stopped} when nothing replaced it within the grace
 *       period, or within 10 s if that is longer: a running job then stops computing at the end
 *       of the grace period and reports as soon as the replacement is known);
 *   <li>then the model's arrays and weight-store lease are released.
 * </ul>
 * Jobs submitted to the old service object after it was unregistered are treated like queued
 * ones. Every class the drain could need is loaded at activation ({@link ClassPreloader}),
 * because after an update the old revision's jar may be closed while the drain runs.
 */
@Component(name = "io.vidrd.engine", configurationPid = "io.vidrd.engine",
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = EngineConfiguration.class)
public final class EngineComponent {

    private static final System.Logger LOG = System.getLogger(EngineComponent.class.getName());

    /** The engine's name in service properties and metadata. */
    public static final String ENGINE_NAME = "vidrd";

    @Reference(name = "codec", service = LatentCodec.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(vidrd.vae.kind=vidrd)")
    private volatile LatentCodec codec;

    private final BundleContext context;
    private final NDManager manager;
    private final EngineModel model;
    private final JobScheduler scheduler;
    private final ServiceRegistration<VideoGenerator> registration;
    private final Duration grace;
    private final String version;

    /**
     * @param context this bundle's context
     * @param config the engine configuration
     * @param weights the runtime's weight store
     */
    @Activate
    public EngineComponent(BundleContext context, EngineConfiguration config,
            @Reference(name = "weights") WeightStore weights) {
        this.context = context;
        this.version = context.getBundle().getVersion().toString();
        this.grace = Duration.ofSeconds(Math.max(0, config.grace_period_seconds()));
        NDManager m = null;
        EngineModel loaded = null;
        Optional<ModelDefaults> modelDefaults;
        ComputeTarget target;
        try {
            target = ComputeTarget.parse(config.device(), config.dtype()).requireAvailable();
            if (config.model_dir() == null || config.model_dir().isBlank()) {
                throw new IllegalArgumentException("model.dir is not set");
            }
            ModelDirectory dir = ModelDirectory.of(Path.of(config.model_dir()));
            modelDefaults = ModelDefaults.read(dir.root());
            m = Torch.newManager(target.device());
            loaded = EngineModel.load(dir, m, target.precision(), weights);
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "VidRD engine: no VideoGenerator registered: cannot load the model from '"
                    + config.model_dir() + "' on " + config.device() + "/" + config.dtype() + ": " + e.getMessage());
            if (m != null) {
                m.close();
            }
            this.manager = null;
            this.model = null;
            this.scheduler = null;
            this.registration = null;
            return;
        }
        ClassPreloader.preload(context.getBundle(), EngineComponent.class.getClassLoader());
        this.manager = m;
        this.model = loaded;
        Map<String, String> facts = new HashMap<>();
        facts.put("model.dir", loaded.directory().root().toString());
        modelDefaults.ifPresent(d -> facts.put(EngineInfo.PROP_DEFAULT_SIZE, d.toString()));
        EngineInfo info = new EngineInfo(ENGINE_NAME, version, loaded.id(), target.deviceName(),
                target.precision().shortName(), facts);
        JobPipeline pipeline = new VidrdJobPipeline(loaded, m, () -> codec, codecFilter(config), decodeOptions(config), info);
        this.scheduler = new JobScheduler("vidrd-engine-" + version + "-" + target.deviceName(), config.queue_size(),
                pipeline);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(VideoGenerator.PROP_ENGINE_NAME, ENGINE_NAME);
        props.put(VideoGenerator.PROP_ENGINE_VERSION, version);
        props.put(VideoGenerator.PROP_MODEL_ID, loaded.id());
        props.put(VideoGenerator.PROP_DEVICE, target.deviceName());
        props.put("vidrd.dtype", target.precision().shortName());
        props.put(Constants.SERVICE_RANKING, config.service_ranking());
        this.registration = context.registerService(VideoGenerator.class,
                new VidrdVideoGenerator(scheduler, info, RequestDefaults.of(config)), props);
        LOG.log(System.Logger.Level.INFO, "VidRD engine " + version + " serving model " + loaded.directory().root()
                + " on " + target);
    }

    private static String codecFilter(EngineConfiguration config) {
        return config.codec_target() == null ? "(vidrd.vae.kind=vidrd)" : config.codec_target();
    }

    private static DecodeOptions decodeOptions(EngineConfiguration config) {
        return DecodeOptions.defaults().withSliceFrames(Math.max(0, config.vae_slice_frames()));
    }

    @Deactivate
    void deactivate() {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        ReplacementWatch watch;
        try {
            watch = new ReplacementWatch(context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext(),
                    context.getBundle().getBundleId(), ENGINE_NAME, version);
        } catch (RuntimeException e) {
            // the framework is stopping: no replacement to wait for
            LOG.log(System.Logger.Level.WARNING, "VidRD engine " + version + ": cannot watch for a replacement", e);
            scheduler.shutdown(Duration.ZERO, "engine stopped: " + ENGINE_NAME + " " + version + " was stopped");
            release();
            return;
        }
        Thread drain = new Thread(() -> {
            try {
                scheduler.shutdown(grace, watch);
            } finally {
                watch.close();
                release();
            }
        }, "vidrd-engine-drain-" + version);
        drain.setDaemon(true);
        drain.start();
    }

    private void release() {
        Device device = manager.getDevice();
        model.close();
        manager.close();
        // a stopped engine's memory goes back to the driver (another engine, or another process)
        DeviceMemory.releaseCached(device);
        LOG.log(System.Logger.Level.INFO, "VidRD engine " + version + " stopped and released its model");
    }
}
