package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Weights;
import java.util.List;

/** {@code CrossAttnUpBlock3D}: ([x, skip] → resnet → temporal conv → transformer) × n, then an optional upsampler. */
final class CrossAttnUpBlock3D implements UpBlock {

    private final UpBlock3D stack;

    CrossAttnUpBlock3D(Weights w, UNetConfig c, int in, int prevOut, int out, boolean addUpsample, int heads) {
        // up blocks always have temporal attention in the reference, whatever add_temp_attn_only_on_upblocks says
        this.stack = new UpBlock3D(w, c, in, prevOut, out, addUpsample, heads, true, c.layersPerBlock() + 1);
    }

    @Override
    public int layers() {
        return stack.layers();
    }

    @Override
    public NDArray forward(NDArray x, List<NDArray> skips, NDArray temb, NDArray context, long[] upsampleSize,
            UNetConstants k) {
        return stack.forward(x, skips, temb, context, upsampleSize, k);
    }
}
