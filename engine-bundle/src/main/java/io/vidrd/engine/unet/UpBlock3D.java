package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Frames;
import io.vidrd.runtime.nn.Upsample;
import io.vidrd.runtime.nn.Weights;
import java.util.ArrayList;
import java.util.List;

/** {@code UpBlock3D}: ([x, skip] → resnet → temporal conv) × n, then an optional upsampler. */
final class UpBlock3D extends UNetBlock implements UpBlock {

    private final Upsample upsampler;

    UpBlock3D(Weights w, UNetConfig c, int in, int prevOut, int out, boolean addUpsample) {
        this(w, c, in, prevOut, out, addUpsample, 0, false, 0);
    }

    UpBlock3D(Weights w, UNetConfig c, int in, int prevOut, int out, boolean addUpsample, int heads, boolean temporalAttention,
            int transformers) {
        super(w, c, inputs(in, prevOut, out, c.layersPerBlock() + 1), out, heads, temporalAttention, 1f, transformers);
        this.upsampler = addUpsample ? new Upsample(w.at("upsamplers.0"), out) : null;
    }

    /** Resnet i sees the previous output (prevOut for i = 0) plus its skip (in for the last). */
    static List<Integer> inputs(int in, int prevOut, int out, int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int skip = i == n - 1 ? in : out;
            l.add((i == 0 ? prevOut : out) + skip);
        }
        return l;
    }

    /**
     * {@code cat([x, skip], dim=1)}, done on the frame-major folding so that the result stays
     * frame-major (a 5-D cat would come out in {@code [B, C, F, H, W]} order and cost a copy at
     * the next per-frame op); same values.
     */
    private static NDArray concatChannels(NDArray x, NDArray skip) {
        long frames = x.getShape().get(2);
        return Frames.unfoldFrameMajor(Frames.foldFrameMajor(x).concat(Frames.foldFrameMajor(skip), 1), frames);
    }

    @Override
    public int layers() {
        return resnets.length;
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> skips, NDArray temb, NDArray context, long[] upsampleSize,
            UNetConstants k) {
        for (int i = 0; i < resnets.length; i++) {
            x = resnet(i, concatChannels(x, skips.get(skips.size() - 1 - i)), temb);
            if (attentions.length > 0) {
                x = attentions[i].forward(x, context, k);
            }
        }
        if (upsampler != null) {
            x = upsampleSize == null ? upsampler.forward(x) : upsampler.forward(x, upsampleSize[0], upsampleSize[1]);
        }
        return x;
    }
}
