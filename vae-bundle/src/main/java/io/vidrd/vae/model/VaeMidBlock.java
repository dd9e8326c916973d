package io.vidrd.vae.model;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.AttentionBlock;
import io.vidrd.runtime.nn.ResnetBlock;
import io.vidrd.runtime.nn.Weights;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE builds it (no time embedding, one attention head,
 * GroupNorm eps 1e-6): {@code resnets.0} → {@code attentions.0} (old key names
 * {@code query/key/value/proj_attn}) → {@code resnets.1}, all per frame.
 */
final class VaeMidBlock {

    private final ResnetBlock resnet0;
    private final AttentionBlock attention;
    private final ResnetBlock resnet1;

    /**
     * @param w view scoped at {@code encoder.mid_block} or {@code decoder.mid_block}
     * @param channels C
     * @param groups GroupNorm groups
     */
    VaeMidBlock(Weights w, int channels, int groups) {
        ResnetBlock.Config c = new ResnetBlock.Config(channels, channels, 0, groups, VaeConfig.NORM_EPS, 1f);
        this.resnet0 = new ResnetBlock(w.at("resnets.0"), c);
        this.attention = new AttentionBlock(w.at("attentions.0"), channels, 1, groups, VaeConfig.NORM_EPS, 1f);
        this.resnet1 = new ResnetBlock(w.at("resnets.1"), c);
    }

    /**
     * @param x {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}
     */
    NDArray forward(NDArray x) {
        return resnet1.forward(attention.forward(resnet0.forward(x, null)), null);
    }
}
