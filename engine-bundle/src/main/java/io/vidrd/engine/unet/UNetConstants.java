package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * The U-Net's input-independent arrays for a run of F-frame calls, made once per job on the job's
 * device by {@link UNet3D#constants}: the timestep frequencies and the frame-position table of
 * every transformer width. Built inside each call instead, they would be uploaded from the host
 * (a blocking copy that drains the GPU queue) at every step; built once, a step uploads nothing.
 * They live on the manager given to {@link UNet3D#constants} and are freed with it.
 */
public final class UNetConstants {

    private final int frames;
    private final NDArray timeFrequencies;
    private final Map<Integer, NDArray> frameEmbedding;

    UNetConstants(int frames, NDArray timeFrequencies, Map<Integer, NDArray> frameEmbedding) {
        this.frames = frames;
        this.timeFrequencies = timeFrequencies;
        this.frameEmbedding = Map.copyOf(frameEmbedding);
    }

    /** @return F, the frame count these constants are for */
    public int frames() {
        return frames;
    }

    NDArray timeFrequencies() {
        return timeFrequencies;
    }

    /**
     * @param channels a transformer width
     * @return {@code [F, 1, 1, C]} in the model's precision, or null when the model adds no frame embedding
     */
    NDArray frameEmbedding(int channels) {
        return frameEmbedding.get(channels);
    }
}
