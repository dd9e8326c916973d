package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;

/**
 * The diffusers {@code ResnetBlock2D} / VidRD {@code ResnetBlock3D} (pre-norm, SiLU, "default"
 * time-embedding mode): {@code h = conv1(silu(norm1(x)))}, {@code h += time_emb_proj(silu(temb))}
 * broadcast over space (and frames), {@code h = conv2(silu(norm2(h)))}, {@code out = (shortcut(x)
 * + h) / outputScale}, where the shortcut is a 1×1 {@code conv_shortcut} when the channel counts
 * differ. On 5-D input the convolutions run per frame and the GroupNorms pool all frames of a video.
 *
 * <p>Keys: {@code norm1.*}, {@code conv1.*}, {@code time_emb_proj.*} (if tembChannels &gt; 0),
 * {@code norm2.*}, {@code conv2.*}, {@code conv_shortcut.*} (if in ≠ out).
 */
public final class ResnetBlock {

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param tembChannels width of the time embedding, 0 for none (VAE)
     * @param groups GroupNorm groups
     * @param eps GroupNorm eps (1e-5 in the U-Net, 1e-6 in the VAE)
     * @param outputScale the sum is divided by this (1 in both models)
     */
    public record Config(int inChannels, int outChannels, int tembChannels, int groups, float eps, float outputScale) {}

    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;
    // 0-dim fp32 divisor made once, or null for 1 (both models): no per-call host copy
    private final NDArray outputScale;

    /**
     * @param w view scoped at the block (e.g. {@code down_blocks.0.resnets.1})
     * @param c configuration
     */
    public ResnetBlock(Weights w, Config c) {
        this.norm1 = new GroupNorm(w.at("norm1"), c.groups(), c.inChannels(), c.eps());
        this.conv1 = new Conv2d(w.at("conv1"), c.inChannels(), c.outChannels(), 3, 1, 1);
        this.timeEmbProj = c.tembChannels() > 0
                ? new Linear(w.at("time_emb_proj"), c.tembChannels(), c.outChannels(), true) : null;
        this.norm2 = new GroupNorm(w.at("norm2"), c.groups(), c.outChannels(), c.eps());
        this.conv2 = new Conv2d(w.at("conv2"), c.outChannels(), c.outChannels(), 3, 1, 1);
        this.convShortcut = c.inChannels() != c.outChannels()
                ? new Conv2d(w.at("conv_shortcut"), c.inChannels(), c.outChannels(), 1, 1, 0) : null;
        this.outputScale = c.outputScale() == 1f ? null : ScalarOperands.of(w.manager(), c.outputScale());
    }

    /**
     * @param x {@code [B, Ci, F, H, W]} or {@code [N, Ci, H, W]}
     * @param temb {@code [B, E]}, or null when the block has no time embedding
     * @return {@code [B, Co, F, H, W]} or {@code [N, Co, H, W]}
     */
    public NDArray forward(NDArray x, NDArray temb) {
        return temb == null ? Scoped.run(() -> compute(x, null), x) : Scoped.run(() -> compute(x, temb), x, temb);
    }

    private NDArray compute(NDArray x, NDArray temb) {
        // intermediates are closed once consumed (values unchanged): at the VAE's 256x256 resolution
        // each is hundreds of MiB, and the scope alone would hold all of them until the block returns
        NDArray h = normActConv(norm1, x, conv1);
        if (timeEmbProj != null) {
            if (temb == null) {
                throw new IllegalArgumentException("this resnet block needs a time embedding");
            }
            NDArray t = timeEmbProj.forward(Activations.silu(temb));
            long[] s = new long[x.getShape().dimension()];
            java.util.Arrays.fill(s, 1);
            s[0] = t.getShape().get(0);
            s[1] = t.getShape().get(1);
            NDArray withTime = h.add(t.reshape(s));
            h.close();
            h = withTime;
        }
        NDArray h2 = normActConv(norm2, h, conv2);
        h.close();
        NDArray shortcut = convShortcut == null ? x : convShortcut.forward(x);
        NDArray out = shortcut.add(h2);
        h2.close();
        if (shortcut != x) {
            shortcut.close();
        }
        return outputScale == null ? out : out.div(outputScale);
    }

    /** {@code conv(silu(norm(x)))}, freeing each intermediate after use (never {@code x}). */
    private static NDArray normActConv(GroupNorm norm, NDArray x, Conv2d conv) {
        NDArray a = norm.forwardSilu(x);
        NDArray y = conv.forward(a);
        a.close();
        return y;
    }
}
