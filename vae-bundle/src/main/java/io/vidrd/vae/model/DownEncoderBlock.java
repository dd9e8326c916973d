package io.vidrd.vae.model;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Downsample;
import io.vidrd.runtime.nn.ResnetBlock;
import io.vidrd.runtime.nn.Weights;

/**
 * diffusers' {@code DownEncoderBlock2D}: {@code layers} resnets ({@code resnets.i}), then, except
 * in the last block, a stride-2 conv after padding one zero row and column at the bottom and
 * right ({@code downsamplers.0.conv}, diffusers' {@code downsample_padding = 0}).
 */
final class DownEncoderBlock {

    private final ResnetBlock[] resnets;
    private final Downsample downsample;

    /**
     * @param w view scoped at {@code encoder.down_blocks.i}
     * @param in input channels
     * @param out output channels
     * @param layers resnets
     * @param groups GroupNorm groups
     * @param addDownsample whether the block halves the resolution
     */
    DownEncoderBlock(Weights w, int in, int out, int layers, int groups, boolean addDownsample) {
        resnets = new ResnetBlock[layers];
        for (int i = 0; i < layers; i++) {
            resnets[i] = new ResnetBlock(w.at("resnets." + i),
                    new ResnetBlock.Config(i == 0 ? in : out, out, 0, groups, VaeConfig.NORM_EPS, 1f));
        }
        downsample = addDownsample ? new Downsample(w.at("downsamplers.0"), out, 0) : null;
    }

    /**
     * @param x {@code [N, in, H, W]}
     * @return {@code [N, out, H/2, W/2]}, or {@code [N, out, H, W]} without downsampling
     */
    NDArray forward(NDArray x) {
        NDArray h = x;
        for (ResnetBlock r : resnets) {
            h = r.forward(h, null);
        }
        return downsample == null ? h : downsample.forward(h);
    }
}
