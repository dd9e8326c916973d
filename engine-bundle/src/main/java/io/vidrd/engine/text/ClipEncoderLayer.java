package io.vidrd.engine.text;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Activations;
import io.vidrd.runtime.nn.LayerNorm;
import io.vidrd.runtime.nn.Linear;
import io.vidrd.runtime.nn.ScalarOperands;
import io.vidrd.runtime.nn.ScaledDotProductAttention;
import io.vidrd.runtime.nn.Weights;

/**
 * One pre-LN CLIP encoder layer ({@code encoder.layers.i}): {@code x += out_proj(MHA(layer_norm1(x)))},
 * {@code x += fc2(act(fc1(layer_norm2(x))))}. The query is multiplied by {@code d^-0.5} before the
 * product, as transformers does; projections have biases.
 */
final class ClipEncoderLayer {

    private final LayerNorm layerNorm1;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final LayerNorm layerNorm2;
    private final Linear fc1;
    private final Linear fc2;
    private final int heads;
    private final float scale;
    private final boolean quickGelu;

    ClipEncoderLayer(Weights w, ClipTextConfig c) {
        int d = c.hiddenSize();
        layerNorm1 = new LayerNorm(w.at("layer_norm1"), d, c.layerNormEps());
        Weights attn = w.at("self_attn");
        qProj = new Linear(attn.at("q_proj"), d, d, true);
        kProj = new Linear(attn.at("k_proj"), d, d, true);
        vProj = new Linear(attn.at("v_proj"), d, d, true);
        outProj = new Linear(attn.at("out_proj"), d, d, true);
        layerNorm2 = new LayerNorm(w.at("layer_norm2"), d, c.layerNormEps());
        fc1 = new Linear(w.at("mlp.fc1"), d, c.intermediateSize(), true);
        fc2 = new Linear(w.at("mlp.fc2"), c.intermediateSize(), d, true);
        heads = c.heads();
        scale = (float) Math.pow(c.headDim(), -0.5);
        quickGelu = c.hiddenAct().equals("quick_gelu");
    }

    /**
     * @param x {@code [b, L, D]}
     * @param causalMask {@code [L, L]} additive mask
     * @return {@code [b, L, D]}
     */
    NDArray forward(NDArray x, NDArray causalMask) {
        NDArray h = layerNorm1.forward(x);
        NDArray q = ScalarOperands.mul(qProj.forward(h), scale);
        NDArray a = ScaledDotProductAttention.attend(q, kProj.forward(h), vProj.forward(h), heads, 1f, causalMask);
        x = x.add(outProj.forward(a));
        NDArray m = fc1.forward(layerNorm2.forward(x));
        m = quickGelu ? Activations.quickGelu(m) : Activations.gelu(m);
        return x.add(fc2.forward(m));
    }
}
