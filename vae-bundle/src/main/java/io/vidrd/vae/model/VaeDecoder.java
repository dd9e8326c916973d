package io.vidrd.vae.model;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Conv2d;
import io.vidrd.runtime.nn.GroupNorm;
import io.vidrd.runtime.nn.Weights;
import java.util.List;

/**
 * diffusers' VAE {@code Decoder} / VidRD's {@code TemporalDecoder}: {@code conv_in} → mid block
 * → up blocks (channels in reverse order) → GroupNorm → SiLU → {@code conv_out}.
 */
final class VaeDecoder {

    private final Conv2d convIn;
    private final VaeMidBlock midBlock;
    private final UpDecoderBlock[] upBlocks;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    /**
     * @param w view scoped at {@code decoder}
     * @param c the configuration
     */
    VaeDecoder(Weights w, VaeConfig c) {
        List<Integer> ch = c.blockOutChannels();
        int groups = c.normNumGroups();
        int levels = c.levels();
        int top = ch.get(levels - 1);
        convIn = new Conv2d(w.at("conv_in"), c.latentChannels(), top, 3, 1, 1);
        midBlock = new VaeMidBlock(w.at("mid_block"), top, groups);
        upBlocks = new UpDecoderBlock[levels];
        int prev = top;
        for (int i = 0; i < levels; i++) {
            int out = ch.get(levels - 1 - i);
            upBlocks[i] = new UpDecoderBlock(w.at("up_blocks." + i), prev, out, c.layersPerBlock() + 1, groups,
                    i < levels - 1, c.addTempConv());
            prev = out;
        }
        convNormOut = new GroupNorm(w.at("conv_norm_out"), groups, ch.get(0), VaeConfig.NORM_EPS);
        convOut = new Conv2d(w.at("conv_out"), ch.get(0), c.outChannels(), 3, 1, 1);
    }

    /**
     * @param z {@code [N, C, h, w]} after {@code post_quant_conv}, frames in {@code (clip, frame)} order
     * @param clipFrames frames per clip for the temporal layers (1: per frame)
     * @return {@code [N, 3, h·s, w·s]}
     */
    NDArray forward(NDArray z, int clipFrames) {
        NDArray h = midBlock.forward(convIn.forward(z));
        for (UpDecoderBlock b : upBlocks) {
            h = b.forward(h, clipFrames);
        }
        return convOut.forward(convNormOut.forwardSilu(h));
    }
}
