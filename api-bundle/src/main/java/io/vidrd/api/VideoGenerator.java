package io.vidrd.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Text-to-video generation service. Engines register it with the service properties named
 * by the {@code PROP_*} constants (and {@code service.ranking} to prefer one engine).
 * Thread-safe; jobs may be queued and run one at a time.
 */
@ProviderType
public interface VideoGenerator {

    /** Service property: engine name, as in {@link EngineInfo#name()}. */
    String PROP_ENGINE_NAME = "vidrd.engine.name";
    /** Service property: engine version, as in {@link EngineInfo#version()}. */
    String PROP_ENGINE_VERSION = "vidrd.engine.version";
    /** Service property: model identifier, as in {@link EngineInfo#modelId()}. */
    String PROP_MODEL_ID = "vidrd.model.id";
    /** Service property: device, e.g. {@code gpu:0} or {@code cpu}, as in {@link EngineInfo#device()}. */
    String PROP_DEVICE = "vidrd.device";

    /**
     * Queues a job and returns at once.
     *
     * @param request what to generate (already validated by {@link GenerationRequest.Builder#build()})
     * @param listener receives the job's events; {@link GenerationListener#noop()} for none
     * @return the job
     * @throws java.util.concurrent.RejectedExecutionException if the generator is shutting
     *     down or its queue is full
     */
    GenerationJob submit(GenerationRequest request, GenerationListener listener);

    /**
     * Generates a video and waits for it. Interrupting the waiting thread cancels the job,
     * so that an abandoned call does not keep the accelerator busy.
     *
     * @param request what to generate
     * @return the video
     * @throws GenerationException if the job failed or was cancelled
     * @throws InterruptedException if the waiting thread was interrupted (the job is cancelled)
     */
    default Video generate(GenerationRequest request) throws GenerationException, InterruptedException {
        GenerationJob job = submit(request, GenerationListener.noop());
        try {
            return job.await();
        } catch (InterruptedException e) {
            job.cancel();
            throw e;
        }
    }

    /**
     * Describes the engine.
     *
     * @return name, version, model, device and precision
     */
    EngineInfo info();
}
