package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
    // fp32 (weight 1, bias 0, running mean, running var) of the frame-major GPU path, per B·G
    private final Map<Long, NDArray[]> batchNormArrays = new ConcurrentHashMap<>();
    // the composed (CPU) path's eps as a 0-dim fp32 array made once: adding a Java float makes DJL
    // create that same array from the host on every call; the arithmetic is identical
    private final NDArray epsArray;
    private final NDArray weight;
    private final NDArray bias;
    private final FusedKernels fused;

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
        this.weight = w.take("weight", channels);
        this.bias = w.take("bias", channels);
        this.fused = w.fusedKernels();
        this.epsArray = weightManager.getDevice().isGpu() ? null : ScalarOperands.of(weightManager, eps);
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
        return forward(x, true, false);
    }

    /**
     * {@code silu(forward(x))}, the pre-activation of resnets and temporal convs; on a GPU with
     * {@link FusedKernels} in fewer kernels and without the intermediate.
     *
     * @param x {@code [N, C, ...]} with 1 to 3 trailing axes
     * @return same shape, normalised then SiLU-activated
     */
    public NDArray forwardSilu(NDArray x) {
        return forward(x, true, true);
    }

    /**
     * As {@link #forward(NDArray)}, but a 5-D result on the GPU is stored in the usual
     * {@code [B, C, F, H, W]} order rather than frame-major: for consumers that work on the whole
     * video (the temporal Conv3d), where the frame-major result would be copied back.
     *
     * @param x {@code [N, C, ...]} with 1 to 3 trailing axes
     * @return same shape and values as {@link #forward(NDArray)}
     */
    public NDArray forwardStandardLayout(NDArray x) {
        return forward(x, false, false);
    }

    /**
     * {@code silu(forwardStandardLayout(x))}, see {@link #forwardSilu(NDArray)}.
     *
     * @param x {@code [N, C, ...]} with 1 to 3 trailing axes
     * @return same shape, normalised then SiLU-activated, in the usual storage order
     */
    public NDArray forwardStandardLayoutSilu(NDArray x) {
        return forward(x, false, true);
    }

    private NDArray forward(NDArray x, boolean frameMajor, boolean silu) {
        Shape s = x.getShape();
        int rank = s.dimension();
        if (rank < 3 || rank > 5 || s.get(1) != channels) {
            throw new IllegalArgumentException("GroupNorm over " + channels + " channels cannot take " + s);
        }
        // the fused module runs as inference: a module being trained keeps DJL's operations
        if (fused != null && FusedKernels.inferenceOnThisThread()) {
            return frameMajor && rank == 5
                    ? fused.groupNormFrameMajor(x, groups, weight, bias, eps, silu)
                    : fused.groupNorm(x, groups, weight, bias, eps, silu);
        }
        if (!silu) {
            return forward(x, frameMajor, s, rank);
        }
        NDArray n = forward(x, frameMajor, s, rank);
        NDArray a = Activations.silu(n);
        n.close();   // a full-size temporary, freed now rather than with the caller's scope
        return a;
    }

    private NDArray forward(NDArray x, boolean frameMajor, Shape s, int rank) {
        if (x.getDevice().isGpu()) {
            if (frameMajor && rank == 5) {
                return Scoped.run(() -> frameMajor(x, s), x);
            }
            return Scoped.run(() -> fused(x, s, rank), x);
        }
        return Scoped.run(() -> composed(x, s, rank), x);
    }

    /**
     * The GPU path for videos, in frame-major storage ({@code [F, B, C, H, W]}, what per-frame
     * convolutions leave behind, see {@link Frames#foldFrameMajor}): viewed as
     * {@code [F, B·G, C/G·H·W]}, the statistics of channel {@code b·G + g} of a training-mode
     * {@code batch_norm} (over axes 0 and 2, biased variance, fp32 accumulation) are exactly this
     * norm's statistics over the group's channels and all frames; no transposing copy in or out.
     * The running statistics it insists on updating are scratch (momentum 0), never read.
     */
    private NDArray frameMajor(NDArray x, Shape s) {
        long b = s.get(0);
        long frames = s.get(2);
        NDArray g = x.transpose(2, 0, 1, 3, 4).reshape(frames, b * groups, -1);
        NDArray[] p = batchNormArrays.computeIfAbsent(b * groups, n -> {
            Shape shape = new Shape(n);
            return new NDArray[] {
                weightManager.ones(shape, DataType.FLOAT32), weightManager.zeros(shape, DataType.FLOAT32),
                weightManager.zeros(shape, DataType.FLOAT32), weightManager.ones(shape, DataType.FLOAT32)};
        });
        // DJL hands (1 - momentum) to PyTorch: 1 here is PyTorch's momentum 0
        NDArray normed = g.getNDArrayInternal().batchNorm(g, p[2], p[3], p[0], p[1], -1, 1f, eps, true)
                .singletonOrThrow();
        NDArray video = normed.reshape(frames, b, s.get(1), s.get(3), s.get(4)).transpose(1, 2, 0, 3, 4);
        NDArray scaled = video.mul(weightByRank[5]);
        normed.close();
        NDArray out = scaled.add(biasByRank[5]);
        scaled.close();
        return out;
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
