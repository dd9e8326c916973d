package io.vidrd.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * Keys of {@link Video#metadata()}.
 *
 * <p>Engine and VAE facts use the {@code vidrd.} keys below. The request's parameters are
 * stored under the plain keys of {@link GenerationRequest#toParameters()} ({@code prompt},
 * {@code seed}, ...), without prefix, so that
 * {@code GenerationRequest.fromParameters(video.metadata())} rebuilds the request (it
 * ignores the other keys).
 */
public final class VideoMetadata {
    /** Engine name, same key as the service property {@link VideoGenerator#PROP_ENGINE_NAME}. */
    public static final String ENGINE_NAME = VideoGenerator.PROP_ENGINE_NAME;
    /** Engine version. */
    public static final String ENGINE_VERSION = VideoGenerator.PROP_ENGINE_VERSION;
    /** Model identifier. */
    public static final String MODEL_ID = VideoGenerator.PROP_MODEL_ID;
    /** Device the video was made on; results reproduce exactly only on the same kind of device. */
    public static final String DEVICE = VideoGenerator.PROP_DEVICE;
    /** Compute precision, e.g. {@code float32}. */
    public static final String DTYPE = "vidrd.dtype";
    /** Which VAE decoded the latents, e.g. {@code temporal-finetuned} or {@code sd-2.1}. */
    public static final String VAE_KIND = "vidrd.vae.kind";
    /** Version of the VAE bundle. */
    public static final String VAE_VERSION = "vidrd.vae.version";
    /** Identifies the VAE weights, e.g. file name and SHA-256. */
    public static final String VAE_WEIGHTS = "vidrd.vae.weights";
    /** Id of the job that made the video. */
    public static final String JOB_ID = "vidrd.job.id";

    private VideoMetadata() {
    }

    /**
     * Starts the metadata of a video: every request parameter plus the engine facts.
     * Engines add the VAE keys and the job id.
     *
     * @param request the request
     * @param engine the engine
     * @return a new, sorted, modifiable map owned by the caller
     */
    public static Map<String, String> of(GenerationRequest request, EngineInfo engine) {
        Map<String, String> m = new TreeMap<>(request.toParameters());
        m.put(ENGINE_NAME, engine.name());
        m.put(ENGINE_VERSION, engine.version());
        m.put(MODEL_ID, engine.modelId());
        m.put(DEVICE, engine.device());
        m.put(DTYPE, engine.dtype());
        return m;
    }
}
