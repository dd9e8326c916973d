package io.vidrd.engine.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the VidRD engine (PID {@code io.vidrd.engine}). */
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
}
