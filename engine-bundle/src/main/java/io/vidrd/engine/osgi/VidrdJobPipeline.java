package io.vidrd.engine.osgi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.api.Clip;
import io.vidrd.api.EngineInfo;
import io.vidrd.api.Frame;
import io.vidrd.api.GenerationException;
import io.vidrd.api.GenerationRequest;
import io.vidrd.api.Progress;
import io.vidrd.api.Video;
import io.vidrd.api.VideoMetadata;
import io.vidrd.engine.model.EngineModel;
import io.vidrd.engine.sampling.ClipConditioning;
import io.vidrd.engine.sampling.PromptEncoder;
import io.vidrd.engine.sampling.SamplingCancelledException;
import io.vidrd.engine.sampling.SamplingListener;
import io.vidrd.engine.sampling.SamplingPlan;
import io.vidrd.engine.sampling.VidrdSampler;
import io.vidrd.runtime.DeviceMemory;
import io.vidrd.runtime.SeededNoiseSource;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One request through the model: prompts to text states, the VidRD loop, each finished clip
 * decoded by the selected latent codec and handed out at once. The engine keeps only what the
 * next clip needs; decoded frames are collected for the job's result. Every array of a job lives
 * in the job's manager, closed however the job ends; running out of device memory fails the job
 * with {@link OutOfMemoryFailure} and leaves the engine ready for the next one.
 */
final class VidrdJobPipeline implements JobPipeline {

    /** How long a job waits at its start for a codec that is about to be bound. */
    private static final Duration CODEC_BIND_WAIT = Duration.ofSeconds(2);
    /** How long a job whose codec was closed before its first clip waits for the reconfigured one (loading takes seconds). */
    private static final Duration CODEC_SWAP_WAIT = Duration.ofSeconds(120);

    private final EngineModel model;
    private final NDManager engineManager;
    private final Supplier<LatentCodec> codec;
    private final String codecFilter;
    private final DecodeOptions decodeOptions;
    private final EngineInfo info;

    VidrdJobPipeline(EngineModel model, NDManager engineManager, Supplier<LatentCodec> codec, String codecFilter,
            DecodeOptions decodeOptions, EngineInfo info) {
        this.model = model;
        this.engineManager = engineManager;
        this.codec = codec;
        this.codecFilter = codecFilter;
        this.decodeOptions = decodeOptions;
        this.info = info;
    }

    @Override
    public Video run(String jobId, GenerationRequest request, JobControl control) throws Exception {
        try {
            return generate(jobId, request, control);
        } catch (RuntimeException e) {
            // PyTorch's EngineException, also when something on the way wrapped it
            if (!DeviceMemory.isOutOfMemory(e)) {
                throw e;
            }
            // The job's managers are closed by now; the cache PyTorch kept of their memory goes back
            // to the driver, so the next job (or another process) finds the device as before.
            DeviceMemory.releaseCached(engineManager.getDevice());
            throw OutOfMemoryFailure.of(e, info.device(), info.dtype());
        }
    }

    private Video generate(String jobId, GenerationRequest request, JobControl control) throws Exception {
        // The codec bound now; replaced by the reconfigured one if it is closed before the first clip.
        JobCodec vae = JobCodec.acquire(codec, codecFilter, control, CODEC_BIND_WAIT, CODEC_SWAP_WAIT);
        int scale = vae.codec().scaleFactor();
        if (request.width() % scale != 0 || request.height() % scale != 0) {
            throw new GenerationException("width and height must be multiples of the VAE's scale factor " + scale
                    + ", got " + request.width() + "x" + request.height());
        }
        SamplingPlan plan = SamplingPlan.of(request.framesPerClip(), request.clips(), request.steps(),
                request.guidanceScale(), request.height() / scale, request.width() / scale)
                .withLongVideo(request.promptFrames(), request.noiseReuse(), request.stagedGuidance());
        List<Frame> frames = new ArrayList<>(request.totalFrames());
        try (NDManager job = engineManager.newSubManager();
                PromptEncoder prompts = new PromptEncoder(model.tokenizer(), model.models().textEncoder(), job,
                        control::warning)) {
            ClipConditioning conditioning = prompts.schedule(request::promptForClip, request.negativePrompt(),
                    request.guidanceScale());
            new VidrdSampler(model.models().unet(), model.schedule()).sample(job, plan, conditioning,
                    new SeededNoiseSource(request.seed()), null, new SamplingListener() {
                        @Override
                        public void onStep(int clip, int step, int steps) {
                            control.progress(new Progress(clip, request.clips(), step + 1, steps, 0));
                        }

                        @Override
                        public void onClip(int clip, NDArray finalLatents) {
                            List<Frame> decoded = FrameConversion.toFrames(vae.decode(finalLatents, decodeOptions));
                            Clip c = Clip.of(clip, decoded, frames.size());
                            frames.addAll(decoded);
                            control.clip(c);
                        }

                        @Override
                        public boolean cancelled() {
                            return control.cancelled();
                        }
                    });
        } catch (SamplingCancelledException e) {
            throw new JobCancelledSignal();
        }
        Map<String, String> metadata = VideoMetadata.of(request, info);
        metadata.putAll(vae.codec().metadata());
        metadata.put(VideoMetadata.JOB_ID, jobId);
        return Video.of(frames, request.fps(), metadata);
    }
}
