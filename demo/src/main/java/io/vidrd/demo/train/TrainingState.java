package io.vidrd.demo.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a {@link DemoTraining} run stands, saved with each checkpoint ({@code state.json}) so
 * that the next call continues it.
 *
 * @param stage the stage under way
 * @param step optimiser steps done in that stage
 * @param cursor index of the next sample of the stage's data stream
 * @param scalingFactor the VAE's latent scaling factor (set when the VAE stage ends; 0 before)
 * @param seconds training time spent so far, over all calls
 */
public record TrainingState(Stage stage, int step, long cursor, double scalingFactor, double seconds) {

    /** The paper's order: image VAE, then the decoder's temporal layers alone, then U-Net and text. */
    public enum Stage {
        /** AutoencoderKL, every weight, frames as images. */
        VAE,
        /** Only the decoder's zero-initialised temporal layers, whole clips (§4.4). */
        TEMPORAL_DECODER,
        /** The 3-D U-Net and the text encoder, epsilon objective. */
        UNET,
        /** Nothing left. */
        DONE;

        /** @return the stage after this one */
        public Stage next() {
            return values()[Math.min(ordinal() + 1, DONE.ordinal())];
        }
    }

    /** The file name inside a checkpoint folder. */
    public static final String FILE = "state.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** @return the state of a run that has not started */
    public static TrainingState initial() {
        return new TrainingState(Stage.VAE, 0, 0, 0, 0);
    }

    /**
     * @param dir a checkpoint folder
     * @return its state
     * @throws IOException if the file is missing or unreadable
     */
    public static TrainingState read(Path dir) throws IOException {
        TrainingState s = GSON.fromJson(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8), TrainingState.class);
        if (s == null || s.stage() == null) {
            throw new IOException(dir.resolve(FILE) + ": not a training state");
        }
        return s;
    }

    /**
     * @param dir a checkpoint folder
     * @throws IOException on write failure
     */
    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), GSON.toJson(this) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * @param steps steps done in this call's part of the stage
     * @param samples samples consumed
     * @param elapsed seconds spent
     * @return this state moved on
     */
    public TrainingState advance(int steps, long samples, double elapsed) {
        return new TrainingState(stage, step + steps, cursor + samples, scalingFactor, seconds + elapsed);
    }

    /**
     * @param factor the scaling factor to keep (unchanged when 0)
     * @return the first step of the next stage
     */
    public TrainingState nextStage(double factor) {
        return new TrainingState(stage.next(), 0, 0, factor == 0 ? scalingFactor : factor, seconds);
    }
}
