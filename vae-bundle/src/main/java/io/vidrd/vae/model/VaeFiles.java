package io.vidrd.vae.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The two files of a diffusers VAE folder: {@code config.json} and the weights.
 *
 * @param configFile the {@code config.json}
 * @param weightsFile the weights ({@code .safetensors}, {@code .bin} or any PyTorch zip checkpoint)
 */
public record VaeFiles(Path configFile, Path weightsFile) {

    /** Name of the configuration file in a diffusers folder. */
    public static final String CONFIG = "config.json";
    /** Name of the safetensors weights in a diffusers folder (preferred: no pickle, memory-mapped). */
    public static final String SAFETENSORS = "diffusion_pytorch_model.safetensors";
    /** Name of the PyTorch weights in a diffusers folder (what the official code reads). */
    public static final String BIN = "diffusion_pytorch_model.bin";

    /** Both paths are required. */
    public VaeFiles {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(weightsFile, "weightsFile");
    }

    /**
     * @param dir a diffusers VAE folder
     * @return its config and weights: {@value #SAFETENSORS} if present, else {@value #BIN}
     * @throws java.io.FileNotFoundException naming the folder and the names looked for, if it has neither
     */
    public static VaeFiles in(Path dir) throws java.io.FileNotFoundException {
        Path safetensors = dir.resolve(SAFETENSORS);
        Path bin = dir.resolve(BIN);
        if (Files.isRegularFile(safetensors)) {
            return new VaeFiles(dir.resolve(CONFIG), safetensors);
        }
        if (Files.isRegularFile(bin)) {
            return new VaeFiles(dir.resolve(CONFIG), bin);
        }
        throw new java.io.FileNotFoundException(dir + ": no VAE weights (looked for " + SAFETENSORS + " and " + BIN
                + (Files.isDirectory(dir) ? ")" : "; the folder does not exist)"));
    }

    /**
     * @param dir a diffusers VAE folder
     * @param weightsName the weights file's name in it
     * @return its config and that weights file
     */
    public static VaeFiles in(Path dir, String weightsName) {
        return new VaeFiles(dir.resolve(CONFIG), dir.resolve(weightsName));
    }
}
