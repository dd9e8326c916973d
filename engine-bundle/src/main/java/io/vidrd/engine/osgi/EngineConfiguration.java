package io.vidrd.engine.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the VidRD engine (PID {@code io.vidrd.engine}, or a targeted PID such as
 * {@code io.vidrd.engine|io.vidrd.engine|1.0.1} for one engine version, e.g. to give a new
 * version installed beside the old one a higher {@code service.ranking}). A change re-creates the
 * engine with the new values; thanks to the runtime's weight store nothing is read from disk
 * again, and the old engine drains like a replaced one.
 *
 * <p>The {@code default.*} values apply to the fields a request did not set
 * ({@link io.vidrd.api.GenerationRequest#isSet(String)}); a value the caller chose, even one equal
 * to the API default, is never replaced. Job metadata records the values actually used.
 */
@ObjectClassDefinition(name = "VidRD engine",
        description = "Text-to-video generation with VidRD on DJL/PyTorch. Registers a VideoGenerator once the model loads.")
public @interface EngineConfiguration {

    /** @return the model directory */
    @AttributeDefinition(name = "Model directory",
            description = "Directory in the official VidRD layout: ModelT2V.pth (or .safetensors), vae_finetuned/, stable-diffusion-2-1-base/.")
    String model_dir();

    /** @return the device */
    @AttributeDefinition(name = "Device", description = "cpu, gpu or gpu:N.")
    String device() default "cpu";

    /** @return the precision */
    @AttributeDefinition(name = "Precision", description = "fp32 (the official numerics), fp16 or bf16 (GPU only).")
    String dtype() default "fp32";

    /** @return queue capacity */
    @AttributeDefinition(name = "Queue size", description = "Jobs that may wait while one runs; more are refused.", min = "1", max = "10000")
    int queue_size() default 16;

    /** @return grace period */
    @AttributeDefinition(name = "Grace period (s)",
            description = "When the engine stops, a running job may finish within this time; then it is cancelled.", min = "0")
    int grace_period_seconds() default 30;

    /** @return service ranking */
    @AttributeDefinition(name = "Service ranking", description = "Higher wins when several engines are registered.")
    int service_ranking() default 0;

    /** @return which latent codec decodes */
    @AttributeDefinition(name = "Latent codec filter",
            description = "Which LatentCodec service decodes, e.g. (vidrd.vae.kind=vidrd), (vidrd.vae.kind=temporal) or (vidrd.vae.kind=image).")
    String codec_target() default "(vidrd.vae.kind=vidrd)";

    /** @return frames decoded at once */
    @AttributeDefinition(name = "VAE slice (frames)", description = "Frames decoded at once (0 = the codec's own setting).", min = "0")
    int vae_slice_frames() default 0;

    /** @return denoising steps for requests that does not set steps */
    @AttributeDefinition(name = "Default steps", min = "1", max = "1000",
            description = "DDIM steps used when a request does not set steps.")
    int default_steps() default 50;

    /** @return guidance scale for requests that do not set it */
    @AttributeDefinition(name = "Default guidance scale", min = "0",
            description = "Classifier-free guidance used when a request does not set it.")
    double default_guidance_scale() default 10.0;

    /** @return VidRD prompt frames M for requests that do not set it */
    @AttributeDefinition(name = "Default prompt frames (M)", min = "0",
            description = "Long video: frames of a new clip started from the previous clip, used when a request does not set it.")
    int default_prompt_frames() default 4;

    /** @return VidRD noise reuse alpha for requests that do not set it */
    @AttributeDefinition(name = "Default noise reuse (alpha)", min = "0",
            description = "Long video: how much of the previous clip's noise is reused, used when a request does not set it.")
    double default_noise_reuse() default 4.0;

    /** @return VidRD staged guidance beta for requests that do not set it */
    @AttributeDefinition(name = "Default staged guidance (beta)", min = "0", max = "1",
            description = "Long video: fraction of early steps in which prompt frames follow the previous clip, used"
                    + " when a request does not set it.")
    double default_staged_guidance() default 0.4;
}
