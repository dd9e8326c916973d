package io.vidrd.vae.model;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Frames;
import io.vidrd.runtime.nn.ResnetBlock;
import io.vidrd.runtime.nn.TemporalConv;
import io.vidrd.runtime.nn.Upsample;
import io.vidrd.runtime.nn.Weights;

/**
 * VidRD's {@code UpDecoderBlock2D} (vae/modules.py), equal to diffusers' when it has no temporal
 * layers: {@code layers} resnets ({@code resnets.i}), each followed, in the temporal VAE, by a
 * 3-unit temporal conv layer ({@code temp_convs.i}) that sees the frames of one clip; then,
 * except in the last block, nearest ×2 and a 3×3 conv ({@code upsamplers.0.conv}).
 */
final class UpDecoderBlock {

    private final ResnetBlock[] resnets;
    private final TemporalConv[] tempConvs;
    private final Upsample upsample;

    /**
     * @param w view scoped at {@code decoder.up_blocks.i}
     * @param in input channels
     * @param out output channels
     * @param layers resnets
     * @param groups GroupNorm groups
     * @param addUpsample whether the block doubles the resolution
     * @param addTempConv whether temporal conv layers exist
     */
    UpDecoderBlock(Weights w, int in, int out, int layers, int groups, boolean addUpsample, boolean addTempConv) {
        resnets = new ResnetBlock[layers];
        tempConvs = addTempConv ? new TemporalConv[layers] : null;
        for (int i = 0; i < layers; i++) {
            resnets[i] = new ResnetBlock(w.at("resnets." + i),
                    new ResnetBlock.Config(i == 0 ? in : out, out, 0, groups, VaeConfig.NORM_EPS, 1f));
            if (addTempConv) {
                tempConvs[i] = new TemporalConv(w.at("temp_convs." + i), out, VaeConfig.TEMPORAL_UNITS,
                        VaeConfig.TEMPORAL_GROUPS, VaeConfig.TEMPORAL_NORM_EPS);
            }
        }
        upsample = addUpsample ? new Upsample(w.at("upsamplers.0"), out) : null;
    }

    /**
     * @param x {@code [N, in, H, W]}, frames in {@code (clip, frame)} order
     * @param clipFrames frames per clip seen by the temporal layers; with 1 they are identities
     *     (the reference computes {@code x} for a one-frame clip), so they are skipped
     * @return {@code [N, out, 2H, 2W]}, or {@code [N, out, H, W]} without upsampling
     */
    NDArray forward(NDArray x, int clipFrames) {
        NDArray h = x;
        for (int i = 0; i < resnets.length; i++) {
            h = resnets[i].forward(h, null);
            if (tempConvs != null && clipFrames > 1) {
                h = Frames.fold(tempConvs[i].forward(Frames.unfold(h, clipFrames)));
            }
        }
        return upsample == null ? h : upsample.forward(h);
    }
}
