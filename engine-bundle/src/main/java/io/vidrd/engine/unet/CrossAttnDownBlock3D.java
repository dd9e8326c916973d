package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Downsample;
import io.vidrd.runtime.nn.Weights;
import java.util.ArrayList;
import java.util.List;

/** {@code CrossAttnDownBlock3D}: (resnet → temporal conv → transformer) × n, then an optional downsampler. */
final class CrossAttnDownBlock3D extends UNetBlock implements DownBlock {

    private final Downsample downsampler;

    CrossAttnDownBlock3D(Weights w, UNetConfig c, int in, int out, int heads, boolean temporalAttention, boolean addDownsample) {
        super(w, c, inputs(in, out, c.layersPerBlock()), out, heads, temporalAttention, 1f, c.layersPerBlock());
        this.downsampler = addDownsample ? new Downsample(w.at("downsamplers.0"), out, c.downsamplePadding()) : null;
    }

    static List<Integer> inputs(int in, int out, int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i == 0 ? in : out);
        }
        return l;
    }

    @Override
    public NDArray forward(NDArray x, NDArray temb, NDArray context, List<NDArray> skips, UNetConstants k) {
        for (int i = 0; i < resnets.length; i++) {
            x = attentions[i].forward(resnet(i, x, temb), context, k);
            skips.add(x);
        }
        if (downsampler != null) {
            x = downsampler.forward(x);
            skips.add(x);
        }
        return x;
    }
}
