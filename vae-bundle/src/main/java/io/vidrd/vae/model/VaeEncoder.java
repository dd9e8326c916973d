package io.vidrd.vae.model;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Conv2d;
import io.vidrd.runtime.nn.GroupNorm;
import io.vidrd.runtime.nn.Weights;
import java.util.List;

/**
 * diffusers' VAE {@code Encoder} with {@code double_z}: {@code conv_in} → down blocks → mid block
 * → GroupNorm → SiLU → {@code conv_out} to {@code 2 × latent} channels (mean and log-variance).
 */
final class VaeEncoder {

    private final Conv2d convIn;
    private final DownEncoderBlock[] downBlocks;
    private final VaeMidBlock midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    /**
     * @param w view scoped at {@code encoder}
     * @param c the configuration
     */
    VaeEncoder(Weights w, VaeConfig c) {
        List<Integer> ch = c.blockOutChannels();
        int groups = c.normNumGroups();
        convIn = new Conv2d(w.at("conv_in"), c.inChannels(), ch.get(0), 3, 1, 1);
        downBlocks = new DownEncoderBlock[c.levels()];
        int prev = ch.get(0);
        for (int i = 0; i < c.levels(); i++) {
            downBlocks[i] = new DownEncoderBlock(w.at("down_blocks." + i), prev, ch.get(i), c.layersPerBlock(), groups,
                    i < c.levels() - 1);
            prev = ch.get(i);
        }
        int last = ch.get(c.levels() - 1);
        midBlock = new VaeMidBlock(w.at("mid_block"), last, groups);
        convNormOut = new GroupNorm(w.at("conv_norm_out"), groups, last, VaeConfig.NORM_EPS);
        convOut = new Conv2d(w.at("conv_out"), last, 2 * c.latentChannels(), 3, 1, 1);
    }

    /**
     * @param x {@code [N, 3, H, W]}
     * @return {@code [N, 2C, H/s, W/s]}
     */
    NDArray forward(NDArray x) {
        NDArray h = convIn.forward(x);
        for (DownEncoderBlock b : downBlocks) {
            h = b.forward(h);
        }
        h = midBlock.forward(h);
        return convOut.forward(convNormOut.forwardSilu(h));
    }
}
