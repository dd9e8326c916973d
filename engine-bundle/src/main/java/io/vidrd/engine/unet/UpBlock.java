package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** An up block of the U-Net: consumes one skip per resnet, last-in first-out. */
interface UpBlock {

    /** @return how many skips the block consumes */
    int layers();

    /**
     * @param x {@code [B, Cp, F, H, W]}
     * @param skips the skips for this block, in push order (the last is used first)
     * @param temb {@code [B, E]}
     * @param context {@code [B, L, D]}
     * @param upsampleSize explicit {@code {H, W}} for the upsampler, or null for ×2
     * @param k the run's constants
     * @return {@code [B, C, F, H', W']}
     */
    NDArray forward(NDArray x, List<NDArray> skips, NDArray temb, NDArray context, long[] upsampleSize, UNetConstants k);
}
