package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code torch.nn.GroupNorm} (affine): keys {@code weight [C]}, {@code bias [C]}.
 *
 * <p>Statistics are taken per sample over the C/G channels of a group and <em>all</em> trailing
 * axes. For a 5-D video {@code [B, C, F, H, W]} this pools all frames of a video, exactly what the
 * reference's GroupNorm on 5-D tensors does (resnets, temporal convs, {@code conv_norm_out}); to
 * normalise each frame on its own, fold the frames into the batch first.
 */
public final class GroupNorm {

    private final int groups;
    private final int channels;
    private final float eps;
    // views of the affine parameters for inputs of rank 3, 4 and 5; views so no extra memory
    private final NDArray[] weightByRank = new NDArray[6];
    private final NDArray[] biasByRank = new NDArray[6];
    private final NDManager weightManager;
    // identity affine parameters of the fused GPU path, per (group length, dtype); they live with the weights
    private final Map<String, NDArray[]> unitAffine = new ConcurrentHashMap<>();
    // the composed (CPU) path's eps as a 0-dim fp32 array made once: adding a Java float makes DJL
    // create that same array from the host on every call; the arithmetic is identical
    private final NDArray epsArray;

    /**
     * @param w view scoped at the norm (e.g. {@code norm1})
     * @param groups number of groups
     * @param channels channels C (a multiple of groups)
     * @param eps added to the variance
     */
    public GroupNorm(Weights w, int groups, int channels, float eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm " + w.key("") + ": " + channels
                    + " channels are not divisible into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weightManager = w.manager();
        NDArray weight = w.take("weight", channels);
        NDArray bias = w.take("bias", channels);
        this.epsArray = weightManager.getDevice().isGpu() ? null : weightManager.create(eps);
        for (int rank = 3; rank <= 5; rank++) {
            long[] s = new long[rank];
            java.util.Arrays.fill(s, 1);
            s[1] = channels;
            weightByRank[rank] = weight.reshape(s);
            biasByRank[rank] = bias.reshape(s);
        }
    }

    /**
     * @param x {@code [N, C, ...]} with 1 to 3 trailing axes
     * @return same shape, normalised per (sample, group) over the group's channels and all trailing axes
     */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        int rank = s.dimension();
        if (rank < 3 || rank > 5 || s.get(1) != channels) {
            throw new IllegalArgumentException("GroupNorm over " + channels + " channels cannot take " + s);
        }
        if (x.getDevice().isGpu()) {
            return Scoped.run(() -> fused(x, s, rank), x);
        }
        return Scoped.run(() -> composed(x, s, rank), x);
    }

    /**
     * One {@code layer_norm} kernel over each group (statistics accumulated in fp32 even for fp16/bf16
     * inputs, where the composed version's squares would overflow fp16), then the per-channel affine.
     */
    private NDArray fused(NDArray x, Shape s, int rank) {
        NDArray g = x.reshape(s.get(0), groups, -1);
        long length = g.getShape().get(2);
        NDArray[] unit = unitAffine.computeIfAbsent(length + "/" + x.getDataType(), k -> {
            NDArray one = weightManager.ones(new Shape(length), x.getDataType());
            NDArray zero = weightManager.zeros(new Shape(length), x.getDataType());
            return new NDArray[] {one, zero};
        });
        NDArray normed = g.getNDArrayInternal().layerNorm(g, new Shape(length), unit[0], unit[1], eps)
                .singletonOrThrow().reshape(s);
        // each full-size intermediate is freed as soon as it is consumed, as PyTorch's reference
        // counting would: the scope alone would keep all of them until the norm returns
        NDArray scaled = normed.mul(weightByRank[rank]);
        normed.close();
        NDArray out = scaled.add(biasByRank[rank]);
        scaled.close();
        return out;
    }

    /** The CPU path: the reference's arithmetic, op by op (its results are what the CPU golden tests pin). */
    private NDArray composed(NDArray x, Shape s, int rank) {
        NDArray g = x.reshape(s.get(0), groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centred = g.sub(mean);
        NDArray var = centred.mul(centred).mean(new int[] {2}, true);
        NDArray normed = centred.div((epsArray != null ? var.add(epsArray) : var.add(eps)).sqrt()).reshape(s);
        return normed.mul(weightByRank[rank]).add(biasByRank[rank]);
    }
}
