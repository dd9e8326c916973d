package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.nn.Conv2d;
import io.vidrd.runtime.nn.GroupNorm;
import io.vidrd.runtime.nn.TimestepEmbedding;
import io.vidrd.runtime.nn.TemporalPositionEmbedding;
import io.vidrd.runtime.nn.TimestepProjection;
import io.vidrd.runtime.nn.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * VidRD's {@code UNet3DConditionModel}: the noise predictor. Time embedding, {@code conv_in},
 * down blocks pushing skips, mid block, up blocks popping them, {@code conv_norm_out} (GroupNorm
 * over all frames) → SiLU → {@code conv_out}. Every convolution is per frame; frames interact only
 * through the temporal conv layers and the temporal attentions.
 *
 * <p>Bind it to the view holding the U-Net keys (the {@code unet.} part of {@code ModelT2V}).
 * The weights stay on the binding's manager; each {@link #forward} puts its temporaries on the
 * manager of its sample.
 */
public final class UNet3D {

    private final UNetConfig config;
    private final TimestepProjection timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock> downBlocks = new ArrayList<>();
    private final UNetMidBlock3DCrossAttn midBlock;
    private final List<UpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final DataType dataType;

    /**
     * @param w view at the U-Net keys
     * @param c configuration
     */
    public UNet3D(Weights w, UNetConfig c) {
        this.config = c;
        this.dataType = w.dataType();
        List<Integer> ch = c.blockOutChannels();
        List<Integer> heads = c.attentionHeads();
        int n = c.levels();
        timeProj = new TimestepProjection(ch.get(0), c.flipSinToCos(), c.freqShift());
        timeEmbedding = new TimestepEmbedding(w.at("time_embedding"), ch.get(0), c.timeEmbedDim());
        convIn = new Conv2d(w.at("conv_in"), c.inChannels(), ch.get(0), 3, 1, 1);
        boolean downTemporal = !c.flags().addTempAttnOnlyOnUpblocks();
        int out = ch.get(0);
        for (int i = 0; i < n; i++) {
            int in = out;
            out = ch.get(i);
            boolean last = i == n - 1;
            Weights b = w.at("down_blocks." + i);
            downBlocks.add(last
                    ? new DownBlock3D(b, c, in, out, false)
                    : new CrossAttnDownBlock3D(b, c, in, out, heads.get(i), downTemporal, true));
        }
        midBlock = new UNetMidBlock3DCrossAttn(w.at("mid_block"), c, ch.get(n - 1), heads.get(n - 1), downTemporal);
        int prevOut = ch.get(n - 1);
        for (int i = 0; i < n; i++) {
            int upOut = ch.get(n - 1 - i);
            int in = ch.get(Math.max(n - 2 - i, 0));
            boolean last = i == n - 1;
            Weights b = w.at("up_blocks." + i);
            upBlocks.add(i == 0
                    ? new UpBlock3D(b, c, in, prevOut, upOut, !last)
                    : new CrossAttnUpBlock3D(b, c, in, prevOut, upOut, !last, heads.get(n - 1 - i)));
            prevOut = upOut;
        }
        convNormOut = new GroupNorm(w.at("conv_norm_out"), c.normNumGroups(), ch.get(0), c.normEps());
        convOut = new Conv2d(w.at("conv_out"), ch.get(0), c.outChannels(), 3, 1, 1);
    }

    /**
     * Makes the arrays every call of a run shares (see {@link UNetConstants}); call once per job.
     *
     * @param manager owner of the constants (the job's; its device must be the model's)
     * @param frames F of the calls they serve
     * @return the constants, freed with {@code manager}
     */
    public UNetConstants constants(NDManager manager, int frames) {
        Map<Integer, NDArray> tables = new HashMap<>();
        if (config.flags().addTempEmbed()) {
            for (int channels : new TreeSet<>(config.blockOutChannels())) {
                NDArray table = TemporalPositionEmbedding.table(manager, frames, channels, dataType);
                tables.put(channels, table.reshape(frames, 1, 1, channels));   // rows f of the frame-major tokens
            }
        }
        return new UNetConstants(frames, timeProj.frequencies(manager), tables);
    }

    /**
     * A single call: makes its {@link #constants} on a scratch manager (host uploads included) and
     * frees them afterwards. Loops call {@link #forward(NDArray, NDArray, NDArray, UNetConstants)}.
     *
     * @param sample {@code [B, in, F, h, w]} noisy latents
     * @param timesteps {@code [B]} or {@code [1]} (broadcast), integer or float
     * @param encoderHiddenStates {@code [B, L, D]} text states
     * @return {@code [B, out, F, h, w]} predicted noise, in the model's precision
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray encoderHiddenStates) {
        if (sample.getShape().dimension() != 5) {
            throw new IllegalArgumentException("sample must be [B, " + config.inChannels() + ", F, h, w], got "
                    + sample.getShape());
        }
        try (NDManager scratch = sample.getManager().newSubManager()) {
            // results land on the sample's manager (first operands), so closing scratch keeps them
            return forward(sample, timesteps, encoderHiddenStates, constants(scratch, (int) sample.getShape().get(2)));
        }
    }

    /**
     * @param sample {@code [B, in, F, h, w]} noisy latents
     * @param timesteps {@code [B]} or {@code [1]} (broadcast), integer or float, on the model's device
     * @param encoderHiddenStates {@code [B, L, D]} text states
     * @param k the run's constants for this F
     * @return {@code [B, out, F, h, w]} predicted noise, in the model's precision
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray encoderHiddenStates, UNetConstants k) {
        Shape s = sample.getShape();
        if (s.dimension() != 5 || s.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("sample must be [B, " + config.inChannels() + ", F, h, w], got " + s);
        }
        long batch = s.get(0);
        long t = timesteps.getShape().size();
        if (t != batch && t != 1) {
            throw new IllegalArgumentException("need 1 or " + batch + " timesteps, got " + timesteps.getShape());
        }
        Shape es = encoderHiddenStates.getShape();
        if (es.dimension() != 3 || es.get(0) != batch || es.get(2) != config.crossAttentionDim()) {
            throw new IllegalArgumentException("encoder hidden states must be [" + batch + ", L, " + config.crossAttentionDim()
                    + "], got " + es);
        }
        NDArray steps = timesteps.reshape(-1);
        if (t == 1 && batch > 1) {
            steps = steps.broadcast(new Shape(batch));
        }
        NDArray temb = timeEmbedding.forward(cast(timeProj.forward(steps, k.timeFrequencies())));
        NDArray context = cast(encoderHiddenStates);
        NDArray x = convIn.forward(cast(sample));

        List<NDArray> skips = new ArrayList<>();
        skips.add(x);
        for (DownBlock block : downBlocks) {
            x = block.forward(x, temb, context, skips, k);
        }
        x = midBlock.forward(x, temb, context, k);

        // diffusers forwards explicit sizes only when the latent is not a multiple of 2^upsamplers
        long factor = 1L << (config.levels() - 1);
        boolean explicitSize = s.get(3) % factor != 0 || s.get(4) % factor != 0;
        for (int i = 0; i < upBlocks.size(); i++) {
            UpBlock block = upBlocks.get(i);
            int n = block.layers();
            List<NDArray> mine = new ArrayList<>(skips.subList(skips.size() - n, skips.size()));
            skips = new ArrayList<>(skips.subList(0, skips.size() - n));
            long[] size = null;
            if (explicitSize && i < upBlocks.size() - 1) {
                Shape next = skips.get(skips.size() - 1).getShape();
                size = new long[] {next.get(3), next.get(4)};
            }
            x = block.forward(x, mine, temb, context, size, k);
        }
        return convOut.forward(convNormOut.forwardSilu(x));
    }

    private NDArray cast(NDArray x) {
        return x.getDataType() == dataType ? x : x.toType(dataType, false);
    }

    /** @return the configuration */
    public UNetConfig config() {
        return config;
    }
}
