package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A down block of the U-Net: pushes one skip per layer and one after its downsampler. */
interface DownBlock {

    /**
     * @param x {@code [B, Ci, F, H, W]}
     * @param temb {@code [B, E]}
     * @param context {@code [B, L, D]}
     * @param skips receives the skip tensors, in order
     * @param k the run's constants
     * @return {@code [B, C, F, H', W']}
     */
    NDArray forward(NDArray x, NDArray temb, NDArray context, List<NDArray> skips, UNetConstants k);
}
