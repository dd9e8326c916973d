package io.vidrd.engine.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The files of a VidRD model in the official layout:
 *
 * <pre>
 * ModelT2V.pth | ModelT2V.safetensors      VidRD checkpoint (U-Net, maybe text encoder)
 * stable-diffusion-2-1-base/
 *   text_encoder/config.json + model.safetensors | pytorch_model.bin
 *   unet/config.json                          (its weights are all replaced by the checkpoint)
 *   scheduler/scheduler_config.json
 *   tokenizer/{vocab.json, merges.txt, ...}
 * vae_finetuned/                              (read by the VAE bundle)
 * </pre>
 *
 * The checkpoint is {@code ModelT2V.pth} if present, else {@code ModelT2V.safetensors} (same
 * tensors); {@link #withCheckpoint} and {@link #withTextEncoderWeights} override the choice.
 * Immutable.
 */
public final class ModelDirectory {

    /** Name of the Stable Diffusion 2.1-base folder inside the model directory. */
    public static final String SD_FOLDER = "stable-diffusion-2-1-base";

    private final Path root;
    private final Path checkpoint;
    private final Path textEncoderWeights;

    private ModelDirectory(Path root, Path checkpoint, Path textEncoderWeights) {
        this.root = root;
        this.checkpoint = checkpoint;
        this.textEncoderWeights = textEncoderWeights;
    }

    /**
     * @param root the model directory
     * @return its layout, checked for the files the text encoder and U-Net need
     * @throws ModelLayoutException naming the first missing file (with the alternatives looked for)
     */
    public static ModelDirectory of(Path root) throws ModelLayoutException {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new ModelLayoutException("model directory " + root + " does not exist");
        }
        ModelDirectory d = new ModelDirectory(root,
                firstExisting(root, "ModelT2V.pth", "ModelT2V.safetensors"),
                firstExisting(root.resolve(SD_FOLDER).resolve("text_encoder"), "model.safetensors", "pytorch_model.bin"));
        d.require(d.textEncoderConfig());
        d.require(d.unetConfig());
        return d;
    }

    private static Path firstExisting(Path dir, String... names) throws ModelLayoutException {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new ModelLayoutException("none of " + List.of(names) + " found in " + dir);
    }

    private void require(Path p) throws ModelLayoutException {
        if (!Files.isRegularFile(p)) {
            throw new ModelLayoutException("required file " + p + " does not exist");
        }
    }

    /**
     * @param file a checkpoint in either format to use instead of the default choice
     * @return a copy using it
     * @throws ModelLayoutException if it does not exist
     */
    public ModelDirectory withCheckpoint(Path file) throws ModelLayoutException {
        require(file);
        return new ModelDirectory(root, file, textEncoderWeights);
    }

    /**
     * @param file SD 2.1 text-encoder weights to use instead of the default choice
     * @return a copy using it
     * @throws ModelLayoutException if it does not exist
     */
    public ModelDirectory withTextEncoderWeights(Path file) throws ModelLayoutException {
        require(file);
        return new ModelDirectory(root, checkpoint, file);
    }

    /** @return the model directory */
    public Path root() {
        return root;
    }

    /** @return the VidRD checkpoint in use */
    public Path checkpoint() {
        return checkpoint;
    }

    /** @return the SD 2.1-base folder */
    public Path stableDiffusion() {
        return root.resolve(SD_FOLDER);
    }

    /** @return {@code text_encoder/config.json} */
    public Path textEncoderConfig() {
        return stableDiffusion().resolve("text_encoder/config.json");
    }

    /** @return the SD 2.1 text-encoder weights in use (replaced when the checkpoint has a text encoder) */
    public Path textEncoderWeights() {
        return textEncoderWeights;
    }

    /** @return {@code unet/config.json} */
    public Path unetConfig() {
        return stableDiffusion().resolve("unet/config.json");
    }

    /** @return {@code scheduler/scheduler_config.json} */
    public Path schedulerConfig() {
        return stableDiffusion().resolve("scheduler/scheduler_config.json");
    }

    /** @return the tokenizer folder */
    public Path tokenizer() {
        return stableDiffusion().resolve("tokenizer");
    }

    /** @return the fine-tuned temporal VAE folder */
    public Path temporalVae() {
        return root.resolve("vae_finetuned");
    }

    @Override
    public String toString() {
        return "ModelDirectory[" + root + ", checkpoint " + checkpoint.getFileName() + ", text encoder "
                + textEncoderWeights.getFileName() + "]";
    }
}
