package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Weights;
import java.util.List;

/** {@code UNetMidBlock3DCrossAttn}: resnet → temporal conv → transformer → resnet → temporal conv. */
final class UNetMidBlock3DCrossAttn extends UNetBlock {

    UNetMidBlock3DCrossAttn(Weights w, UNetConfig c, int channels, int heads, boolean temporalAttention) {
        super(w, c, List.of(channels, channels), channels, heads, temporalAttention, c.midBlockScaleFactor(), 1);
    }

    /**
     * @param x {@code [B, C, F, H, W]}
     * @param temb {@code [B, E]}
     * @param context {@code [B, L, D]}
     * @param k the run's constants
     * @return {@code [B, C, F, H, W]}
     */
    NDArray forward(NDArray x, NDArray temb, NDArray context, UNetConstants k) {
        x = resnet(0, x, temb);
        for (int i = 0; i < attentions.length; i++) {
            x = resnet(i + 1, attentions[i].forward(x, context, k), temb);
        }
        return x;
    }
}
