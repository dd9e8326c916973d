package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Downsample;
import io.vidrd.runtime.nn.Weights;
import java.util.List;

/** {@code DownBlock3D}: (resnet → temporal conv) × n, then an optional downsampler. */
final class DownBlock3D extends UNetBlock implements DownBlock {

    private final Downsample downsampler;

    DownBlock3D(Weights w, UNetConfig c, int in, int out, boolean addDownsample) {
        super(w, c, CrossAttnDownBlock3D.inputs(in, out, c.layersPerBlock()), out, 0, false, 1f, 0);
        this.downsampler = addDownsample ? new Downsample(w.at("downsamplers.0"), out, c.downsamplePadding()) : null;
    }

    @Override
    public NDArray forward(NDArray x, NDArray temb, NDArray context, List<NDArray> skips, UNetConstants k) {
        for (int i = 0; i < resnets.length; i++) {
            x = resnet(i, x, temb);
            skips.add(x);
        }
        if (downsampler != null) {
            x = downsampler.forward(x);
            skips.add(x);
        }
        return x;
    }
}
