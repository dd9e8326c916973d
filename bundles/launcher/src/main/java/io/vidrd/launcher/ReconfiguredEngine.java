package io.vidrd.launcher;

import io.vidrd.api.VideoGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.ServiceReference;

/**
 * Waits until a reconfiguration of engine and codec has taken effect, before jobs are submitted.
 * Config Admin hands both updates to Declarative Services asynchronously and in no set order: the
 * new engine may register while the old codec is still bound to it, and a job started then holds
 * a codec that is closed moments later ("the 'vidrd' VAE codec is closed" in the bench's second
 * precision). So this waits for both: an engine registered with the wanted dtype, and every codec
 * of the kind carrying the new configuration (the old one unregistered). Declarative Services
 * rebinds the engine's greedy codec reference within the service events of those registrations,
 * so by then the engine holds the new codec.
 */
final class ReconfiguredEngine {

    /** The codec service interface, named: the launcher shares only the API with the bundles. */
    static final String CODEC_SERVICE = "io.vidrd.runtime.codec.LatentCodec";

    private ReconfiguredEngine() {}

    /**
     * @param c the running container
     * @param dtype the engine's new precision (its {@code vidrd.dtype} service property)
     * @param codecKind the codec kind the engine uses ({@code vidrd.vae.kind})
     * @param codecConfig the codec configuration written (each entry must be a service property of it)
     * @param timeout how long to wait
     * @return the engine, or null if engine or codec did not show up reconfigured in time
     * @throws InterruptedException if interrupted
     */
    static VideoGenerator await(Container c, String dtype, String codecKind, Map<String, String> codecConfig,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            ServiceReference<?> engine = engine(c, dtype);
            if (engine != null && codecReady(c.awaitServices(CODEC_SERVICE, "(vidrd.vae.kind=" + codecKind + ")", 1_000),
                    codecConfig)) {
                return (VideoGenerator) c.context().getService(engine);
            }
            Thread.sleep(200);
        }
        return null;
    }

    private static ServiceReference<?> engine(Container c, String dtype) {
        for (ServiceReference<?> r : c.awaitServices(VideoGenerator.class.getName(), 1_000)) {
            if (dtype.equals(String.valueOf(r.getProperty("vidrd.dtype")))) {
                return r;
            }
        }
        return null;
    }

    /** @return whether there is a codec and each one has the new configuration (none is the old one) */
    static boolean codecReady(List<ServiceReference<?>> codecs, Map<String, String> config) {
        if (codecs.isEmpty()) {
            return false;
        }
        for (ServiceReference<?> r : codecs) {
            for (Map.Entry<String, String> e : config.entrySet()) {
                if (!e.getValue().equals(String.valueOf(r.getProperty(e.getKey())))) {
                    return false;
                }
            }
        }
        return true;
    }
}
