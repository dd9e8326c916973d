package io.vidrd.vae.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of a VAE codec component, one PID per kind ({@code io.vidrd.vae.image},
 * {@code io.vidrd.vae.vidrd}, {@code io.vidrd.vae.temporal}); a codec exists only while its PID
 * is configured. The engine's PID ({@code io.vidrd.engine}) is deliberately not merged in: DS
 * would then require both configurations anyway (policy REQUIRE waits for every listed PID), and
 * bnd refuses {@code @Designate} on a component with several PIDs, so the codecs would lose their
 * metatype description. Whoever configures the engine writes the same {@code model.dir},
 * {@code device} and {@code dtype} to the codec PIDs it wants.
 */
@ObjectClassDefinition(name = "VidRD VAE codec",
        description = "Loads a VAE from a model directory in the official VidRD layout and offers it as a latent codec.")
public @interface CodecConfig {

    /** @return the model directory ({@code model.dir}) */
    @AttributeDefinition(name = "Model directory",
            description = "Root of the official layout: the VAEs are <model.dir>/vae_finetuned and"
                    + " <model.dir>/stable-diffusion-2-1-base/vae.")
    String model_dir();

    /** @return the device ({@code device}) */
    @AttributeDefinition(name = "Device", description = "cpu, gpu or gpu:N.")
    String device() default "cpu";

    /** @return the precision ({@code dtype}) */
    @AttributeDefinition(name = "Precision", description = "fp32 (parity with the official code; the only choice on"
            + " the CPU), fp16 or bf16 (CUDA only).")
    String dtype() default "fp32";

    /** @return frames decoded at once ({@code slice.frames}) */
    @AttributeDefinition(name = "Frames per slice", min = "0",
            description = "Frames decoded at once; bounds memory, not results. The temporal codec rounds to whole"
                    + " clips. 0 decodes all frames of a call at once.")
    int slice_frames() default 4;
}
