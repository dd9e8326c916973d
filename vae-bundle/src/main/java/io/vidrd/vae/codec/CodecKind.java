package io.vidrd.vae.codec;

import io.vidrd.runtime.codec.LatentCodec;
import java.nio.file.Path;

/** The three codec kinds: which VAE folder of the official layout each runs, and how. */
public enum CodecKind {
    /** The plain SD 2.1 VAE ({@code stable-diffusion-2-1-base/vae}), frame by frame. */
    IMAGE(LatentCodec.KIND_IMAGE, "stable-diffusion-2-1-base/vae", false,
            "Stable Diffusion 2.1 VAE, frame by frame"),
    /** VidRD's fine-tuned VAE as the official pipeline runs it: temporal layers are identities. */
    VIDRD(LatentCodec.KIND_VIDRD, "vae_finetuned", false,
            "VidRD fine-tuned VAE as the official pipeline runs it (frame by frame, temporal layers inactive)"),
    /** VidRD's fine-tuned VAE with temporal layers across the frames of each clip. */
    TEMPORAL(LatentCodec.KIND_TEMPORAL, "vae_finetuned", true,
            "VidRD fine-tuned VAE with temporal layers active across the frames of each clip");

    private final String id;
    private final String folder;
    private final boolean temporal;
    private final String description;

    CodecKind(String id, String folder, boolean temporal, String description) {
        this.id = id;
        this.folder = folder;
        this.temporal = temporal;
        this.description = description;
    }

    /** @return the service property value ({@code image}, {@code vidrd}, {@code temporal}) */
    public String id() {
        return id;
    }

    /**
     * @param modelDir the root of a model directory in the official layout
     * @return the VAE folder this kind reads
     */
    public Path vaeFolder(Path modelDir) {
        return modelDir.resolve(folder);
    }

    /** @return whether the decoder's temporal layers see the frames of a clip together */
    public boolean temporal() {
        return temporal;
    }

    /** @return a short description for people */
    public String description() {
        return description;
    }
}
